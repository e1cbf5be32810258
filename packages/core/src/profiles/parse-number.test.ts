import { expect } from 'chai';
import { parseEnergy } from './parse-number.js';

describe('parseEnergy', () => {
  it('accepts integers, decimals, exponents and surrounding whitespace', () => {
    expect(parseEnergy('12')).to.equal(12);
    expect(parseEnergy(' 12.5\t')).to.equal(12.5);
    expect(parseEnergy('1e2')).to.equal(100);
    expect(parseEnergy('2.5E-1')).to.equal(0.25);
    expect(parseEnergy('.5')).to.equal(0.5);
    expect(parseEnergy('+3')).to.equal(3);
  });

  it('returns zero for negative zero', () => {
    expect(Object.is(parseEnergy('-0'), 0)).to.equal(true);
  });

  it('reports an empty cell', () => {
    expect(parseEnergy('')).to.equal('empty energy');
    expect(parseEnergy('   ')).to.equal('empty energy');
  });

  it('reports text that is not a plain decimal number', () => {
    expect(parseEnergy('abc')).to.equal('not a number: "abc"');
    for (const text of ['Infinity', '-Infinity', 'NaN', '0x10', '1,000.5', '12,5', '1e', 'e5', '.', '1.2.3', '5 %']) {
      expect(parseEnergy(text), text)
        .to.be.a('string')
        .and.match(/^not a number: /);
    }
  });

  it('reports a negative energy with its text', () => {
    expect(parseEnergy('-3')).to.equal('negative energy: -3');
    expect(parseEnergy('-3,5', { decimalComma: true })).to.equal('negative energy: -3,5');
  });

  it('reports a number too large for a double', () => {
    expect(parseEnergy('1e999')).to.equal('out of range: 1e999');
  });

  it('accepts a decimal comma only when asked', () => {
    expect(parseEnergy('12,5', { decimalComma: true })).to.equal(12.5);
    expect(parseEnergy('12.5', { decimalComma: true })).to.equal(12.5);
    expect(parseEnergy('12,5')).to.equal('not a number: "12,5"');
    expect(parseEnergy('1.000,5', { decimalComma: true })).to.equal('not a number: "1.000,5"');
  });

  it('shortens very long text in the reason', () => {
    const reason = parseEnergy('x'.repeat(500));
    expect(reason).to.equal(`not a number: "${'x'.repeat(40)}…"`);
  });
});
