import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runCli } from './helpers/run-cli.js';
import { tempFolder } from './helpers/temp-files.js';

const SAMPLE = fileURLToPath(new URL('../examples/people.csv', import.meta.url));

describe('insights cluster: input as spreadsheets save it', function () {
  this.timeout(60_000);
  const files = tempFolder('encodings');
  after(() => files.cleanup());
  const text = readFileSync(SAMPLE, 'utf8');
  const args = ['--method', 'kmeans', '--clusters', '4', '--format', 'csv'];

  it('reads UTF-16 with a byte-order mark (Excel\'s "Unicode Text"), either byte order, as it reads UTF-8', async () => {
    const plain = await runCli(['cluster', SAMPLE, ...args]);
    expect(plain.status, plain.stderr).to.equal(0);
    const le = files.write('le.csv', '');
    const be = files.write('be.csv', '');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    for (const file of [le, be]) {
      const run = await runCli(['cluster', file, ...args]);
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.equal(plain.stdout);
    }
  });

  it('reads an Excel export: Insights colour names as headers, semicolons, decimal commas, trailing ;;;; rows', async () => {
    const plain = await runCli(['cluster', SAMPLE, ...args]);
    const lines = text.trim().split('\n');
    // employee_id and the four energies (columns 1 and 5–8 of the sample), as Excel writes them in a comma-decimal locale.
    const rows = lines.slice(1).map((line) => {
      const f = line.split(',');
      return [f[0], ...f.slice(4, 8).map((v) => v!.replace('.', ','))].join(';');
    });
    const excel = files.write('excel.csv', `Employee ID;Fiery Red;Cool Blue;Earth Green;Sunshine Yellow\r\n${rows.join('\r\n')}\r\n;;;;\r\n;;;;\r\n`);
    const run = await runCli(['cluster', excel, ...args]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(plain.stdout);
    const wrong = files.write('wrong.csv', 'Mitarbeiter;Rot;Blau;Grün;Gelb\nE1;1;2;3;4\n');
    const refused = await runCli(['cluster', wrong]);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.include('columns found: Mitarbeiter, Rot, Blau, Grün, Gelb;');
  });

  it('says that a spreadsheet is one, and how to save it as CSV', async () => {
    const xlsx = files.write('people.xlsx', 'PK\u0003\u0004rest of a zip archive');
    const run = await runCli(['cluster', xlsx]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include(`${xlsx} looks like a spreadsheet (.xlsx or .ods, a zip archive), not CSV or JSON: save it as CSV`);
    const stdin = await runCli(['cluster', '-'], 'PK\u0003\u0004zip');
    expect(stdin.stderr).to.include('standard input looks like a spreadsheet');
  });

  it('says which encoding text that is not UTF-8 looks like', async () => {
    const latin1 = files.write('latin1.csv', '');
    writeFileSync(latin1, Buffer.from(`employee_id,red_energy,blue_energy,green_energy,yellow_energy,name\nE1,1,1,1,1,Zoé\n`, 'latin1'));
    const run = await runCli(['cluster', latin1]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('is not UTF-8 text; it looks like a single-byte encoding such as Windows-1252 (Latin-1)');
  });
});
