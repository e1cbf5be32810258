import { expect } from 'chai';
import { MIN_PSEUDONYM_DIGITS, newSalt, pseudonymiser } from './anonymise.js';

describe('pseudonymiser', () => {
  const ids = ['E001', 'E002', '<script>', '"&\''];

  it('gives "Person" and upper-case hex digits, the same for the same ids and salt', () => {
    const a = pseudonymiser(ids, 'salt');
    const b = pseudonymiser([...ids].reverse(), 'salt');
    for (const id of ids) {
      expect(a(id)).to.match(/^Person [0-9A-F]{4,}$/);
      expect(b(id)).to.equal(a(id));
    }
  });

  it('gives other pseudonyms under another salt', () => {
    const a = pseudonymiser(ids, 'one');
    const b = pseudonymiser(ids, 'two');
    expect(ids.filter((id) => a(id) === b(id))).to.deep.equal([]);
  });

  it('lengthens every pseudonym until all differ, keeping shorter ones as prefixes', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `E${i}`);
    const name = pseudonymiser(many, 's');
    const names = many.map(name);
    expect(new Set(names).size).to.equal(many.length);
    const digits = names[0]!.length - 'Person '.length;
    expect(digits).to.be.greaterThan(MIN_PSEUDONYM_DIGITS);
    expect(names.every((n) => n.length === names[0]!.length)).to.equal(true);
    const few = pseudonymiser(many.slice(0, 3), 's');
    expect(name('E1').startsWith(few('E1'))).to.equal(true);
  });

  it('refuses an id it was not given, so no real id is shown by mistake', () => {
    expect(() => pseudonymiser(['a'], 's')('b')).to.throw(RangeError);
  });

  it('makes fresh 128-bit salts', () => {
    expect(newSalt()).to.match(/^[0-9a-f]{32}$/);
    expect(newSalt()).not.to.equal(newSalt());
  });
});
