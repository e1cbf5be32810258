import { expect } from 'chai';
import { InvalidOptionsError } from '../errors.js';
import { RESERVOIR_DEFAULTS } from '../reservoirs/registry.js';
import { resolveOptions } from './options.js';

function invalid(input: unknown): InvalidOptionsError {
  try {
    resolveOptions(input as Parameters<typeof resolveOptions>[0]);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidOptionsError);
    return error as InvalidOptionsError;
  }
  return expect.fail('expected an InvalidOptionsError');
}

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const options = resolveOptions();
    expect(options).to.deep.equal({
      method: 'hybrid',
      clusters: 4,
      seed: 42,
      nInit: 10,
      stabilityRuns: 10,
      silhouetteMaxRows: 4_000,
      hybridWeights: { esn: 1, snn: 1, lsm: 1 },
      reservoirs: { esn: { ...RESERVOIR_DEFAULTS.esn }, snn: { ...RESERVOIR_DEFAULTS.snn }, lsm: { ...RESERVOIR_DEFAULTS.lsm } },
    });
    expect(resolveOptions({})).to.deep.equal(options);
  });

  it('keeps given values and merges partial reservoir parameters over the defaults', () => {
    const options = resolveOptions({ method: 'esn', clusters: 'auto', seed: 0, nInit: 3, hybridWeights: { snn: 2 }, esn: { units: 8 } });
    expect(options.method).to.equal('esn');
    expect(options.clusters).to.equal('auto');
    expect(options.seed).to.equal(0);
    expect(options.nInit).to.equal(3);
    expect(options.hybridWeights).to.deep.equal({ esn: 1, snn: 2, lsm: 1 });
    expect(options.reservoirs.esn).to.deep.equal({ ...RESERVOIR_DEFAULTS.esn, units: 8 });
    expect(options.reservoirs.snn).to.deep.equal(RESERVOIR_DEFAULTS.snn);
  });

  it('gives each caller its own copy of the reservoir parameters', () => {
    // Checked by identity, not by mutating: a mutation would leak into every later test.
    const a = resolveOptions();
    const b = resolveOptions();
    for (const reservoir of ['esn', 'snn', 'lsm'] as const) {
      expect(a.reservoirs[reservoir]).to.not.equal(RESERVOIR_DEFAULTS[reservoir]);
      expect(a.reservoirs[reservoir]).to.not.equal(b.reservoirs[reservoir]);
    }
    expect(a.reservoirs.lsm.grid, 'lsm.grid is the shared default array').to.not.equal(RESERVOIR_DEFAULTS.lsm.grid);
    expect(a.reservoirs.lsm.grid, 'lsm.grid is shared between calls').to.not.equal(b.reservoirs.lsm.grid);
  });

  it('reports every problem at once with the option it concerns', () => {
    const error = invalid({ method: 'foo', clusters: 1, bogus: true });
    expect(error.code).to.equal('INVALID_OPTIONS');
    expect(error.problems).to.have.length(3);
    expect(error.problems.some((p) => p.startsWith('method:'))).to.equal(true);
    expect(error.problems.some((p) => p.startsWith('clusters:'))).to.equal(true);
    expect(error.problems.some((p) => p.includes('bogus'))).to.equal(true);
    for (const problem of error.problems) expect(error.message).to.include(problem);
  });

  it('rejects out-of-range values', () => {
    for (const input of [
      { clusters: 51 },
      { clusters: 2.5 },
      { seed: -1 },
      { seed: 2 ** 32 },
      { nInit: 0 },
      { stabilityRuns: -1 },
      { silhouetteMaxRows: 99 },
      { hybridWeights: { esn: 0 } },
      { esn: { units: 0 } },
      { lsm: { grid: [3, 3] } },
      { snn: { maxInputRate: 1.5 } },
    ]) {
      expect(invalid(input).problems, JSON.stringify(input)).to.have.length.greaterThan(0);
    }
  });
});
