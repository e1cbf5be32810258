import { expect } from 'chai';
import { detectDelimiter } from './detect-delimiter.js';

describe('detectDelimiter', () => {
  it('finds a comma', () => {
    expect(detectDelimiter('employee_id,red_energy,blue_energy\nE1;x;y,1,2\n')).to.equal(',');
  });

  it('finds a semicolon', () => {
    expect(detectDelimiter('employee_id;red_energy;blue_energy\nE1,5;1,2;3\n')).to.equal(';');
  });

  it('finds a tab', () => {
    expect(detectDelimiter('employee_id\tred_energy\tblue_energy\r\nE1\t1\t2\r\n')).to.equal('\t');
  });

  it('ignores delimiters inside quotes, including quoted line breaks', () => {
    expect(detectDelimiter('"a,b,c";"d\ne,f,g";h\n1;2;3')).to.equal(';');
  });

  it('reads only the header line, skipping leading blank lines', () => {
    expect(detectDelimiter('\n  \r\na;b\n1,2,3,4,5\n')).to.equal(';');
  });

  it('falls back to a comma when the header has no delimiter', () => {
    expect(detectDelimiter('employee_id\nE1\n')).to.equal(',');
  });
});
