import { expect } from 'chai';
import { InvalidInputError, InvalidOptionsError } from '../errors.js';
import { parseProfiles } from './parse-profiles.js';

const CSV = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy\nE1,1,2,3,4\n';
const JSON_TEXT = '[{"employee_id":"E1","red_energy":1,"blue_energy":2,"green_energy":3,"yellow_energy":4}]';

describe('parseProfiles', () => {
  it('reads CSV and JSON to the same profiles, differing only in line unit', () => {
    const csv = parseProfiles(CSV);
    const json = parseProfiles(JSON_TEXT);
    expect(csv.lineUnit).to.equal('line');
    expect(json.lineUnit).to.equal('item');
    expect(json.ids).to.deep.equal(csv.ids);
    expect(json.energies).to.deep.equal(csv.energies);
  });

  it('detects JSON after a BOM and whitespace', () => {
    expect(parseProfiles(`\uFEFF \n\t${JSON_TEXT}`).lineUnit).to.equal('item');
  });

  it('treats a top-level object as JSON and rejects it', () => {
    expect(() => parseProfiles('{"employee_id":"E1"}')).to.throw(InvalidInputError, 'expected a JSON array');
  });

  it('follows an explicit format', () => {
    expect(() => parseProfiles(CSV, { format: 'json' })).to.throw(InvalidInputError, 'not valid JSON');
    expect(() => parseProfiles(JSON_TEXT, { format: 'csv' })).to.throw(InvalidInputError, 'line 1: a quote (")');
  });

  it('passes reader options on', () => {
    const set = parseProfiles(`${CSV}E2,0,0,0,0\n`, { skipInvalid: true, format: 'auto' });
    expect(set.skipped).to.deep.equal([{ line: 3, employee_id: 'E2', reasons: ['all four energies are zero'] }]);
  });

  it('rejects an unknown format', () => {
    expect(() => parseProfiles(CSV, { format: 'xml' as 'csv' })).to.throw(InvalidOptionsError, 'format: expected');
  });
});
