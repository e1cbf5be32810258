import { expect } from 'chai';
import { csvField } from './csv.js';

describe('csvField', () => {
  it('neutralises text a spreadsheet would run as a formula, as OWASP recommends', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).to.equal(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+2')).to.equal(`"'+1+2"`);
    expect(csvField('-2+3')).to.equal(`"'-2+3"`);
    expect(csvField('@SUM(A1)')).to.equal(`"'@SUM(A1)"`);
    expect(csvField('\t=1')).to.equal(`"'\t=1"`);
    expect(csvField('\r=1')).to.equal(`"'\r=1"`);
    expect(csvField('＝1+1')).to.equal(`"'＝1+1"`);
  });

  it('leaves other text and numbers alone, quoting only what RFC 4180 needs', () => {
    expect(csvField('E-001')).to.equal('E-001');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField(-3)).to.equal('-3');
  });
});
