import { expect } from 'chai';
import { runNode } from '../helpers/run-node.js';

describe('core: reading CSV in bounded memory', function () {
  this.timeout(120_000);

  it('reads 40 MB of blank lines around two rows within a 128 MB heap (it used to build an object per line)', async () => {
    const script = `
      import { parseProfilesCsv } from '@insights/core';
      const blank = '\\r\\n'.repeat(5_000_000) + '\\n'.repeat(10_000_000);
      const set = parseProfilesCsv('employee_id,red_energy,blue_energy,green_energy,yellow_energy\\n' + blank + 'E1,1,2,3,4\\n' + blank + 'E2,4,3,2,1\\n');
      console.log(JSON.stringify(set.ids));
    `;
    const { code, stdout, stderr } = await runNode(script, ['--max-old-space-size=128']);
    expect(code, stderr.slice(-500)).to.equal(0);
    expect(JSON.parse(stdout)).to.deep.equal(['E1', 'E2']);
  });
});
