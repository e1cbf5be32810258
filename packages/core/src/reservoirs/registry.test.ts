import { expect } from 'chai';
import { generateSynthetic } from '../synthetic.js';
import { inputScalingOf, type FeatureInput } from './input.js';
import { extractFeatures, featureGroups, featureWidth, RESERVOIR_DEFAULTS, RESERVOIRS, type Reservoir } from './registry.js';

/** 600 people (more than two batches of 256), energies normalised to percentages. */
function population(n = 600, seed = 5): { ids: string[]; energies: Float64Array } {
  const { ids, energies } = generateSynthetic('overlapping', n, seed);
  for (let r = 0; r < n; r++) {
    const sum = energies[r * 4]! + energies[r * 4 + 1]! + energies[r * 4 + 2]! + energies[r * 4 + 3]!;
    for (let c = 0; c < 4; c++) energies[r * 4 + c] = (energies[r * 4 + c]! / sum) * 100;
  }
  return { ids, energies };
}

const { ids, energies } = population();
const scaling = inputScalingOf(energies);
const n = ids.length;

function features(reservoir: Reservoir, seed: number, ranges: [number, number][] = [[0, n]]): Float64Array {
  const out = new Float64Array(n * featureWidth(reservoir, RESERVOIR_DEFAULTS)).fill(NaN);
  for (const [from, to] of ranges) {
    const input: FeatureInput = { energies, ids, scaling, from, to };
    extractFeatures(reservoir, input, RESERVOIR_DEFAULTS, seed, out);
  }
  return out;
}

/** Indices where two arrays differ bit for bit (NaN equals NaN, 0 differs from −0). */
function differences(a: Float64Array, b: Float64Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < a.length && found.length < 5; i++) if (!Object.is(a[i], b[i])) found.push(i);
  return found;
}

describe('reservoir feature extractors', () => {
  it('declare widths and groups that agree', () => {
    expect(featureWidth('esn', RESERVOIR_DEFAULTS)).to.equal(24);
    expect(featureWidth('snn', RESERVOIR_DEFAULTS)).to.equal(48);
    expect(featureWidth('lsm', RESERVOIR_DEFAULTS)).to.equal(54);
    for (const reservoir of RESERVOIRS) {
      expect(featureGroups(reservoir, RESERVOIR_DEFAULTS).reduce((a, b) => a + b, 0)).to.equal(featureWidth(reservoir, RESERVOIR_DEFAULTS));
    }
  });

  for (const reservoir of RESERVOIRS) {
    describe(reservoir, () => {
      const width = featureWidth(reservoir, RESERVOIR_DEFAULTS);
      let whole: Float64Array;
      before(() => {
        whole = features(reservoir, 42);
      });

      it('writes a finite value into every one of its columns for every row', () => {
        const bad = [...whole.keys()].filter((i) => !Number.isFinite(whole[i]));
        expect(bad.slice(0, 5), `${bad.length} non-finite`).to.deep.equal([]);
      });

      it('writes features that differ between people', () => {
        const first = whole.subarray(0, width);
        let distinct = 0;
        for (let r = 1; r < n; r++) if (differences(first, whole.subarray(r * width, (r + 1) * width)).length > 0) distinct++;
        expect(distinct).to.equal(n - 1);
      });

      it('writes only the rows it is asked for', () => {
        const part = features(reservoir, 42, [[100, 300]]);
        expect(part.subarray(0, 100 * width).every(Number.isNaN)).to.equal(true);
        expect(part.subarray(300 * width).every(Number.isNaN)).to.equal(true);
        expect(differences(part.subarray(100 * width, 300 * width), whole.subarray(100 * width, 300 * width))).to.deep.equal([]);
      });

      it('gives the same numbers bit for bit however the rows are split', () => {
        for (const ranges of [
          [
            [0, 300],
            [300, n],
          ],
          [
            [0, 1],
            [1, 257],
            [257, 513],
            [513, n],
          ],
          [
            [450, n],
            [0, 17],
            [17, 450],
          ],
        ] as [number, number][][]) {
          expect(differences(features(reservoir, 42, ranges), whole), JSON.stringify(ranges)).to.deep.equal([]);
        }
      });

      it('gives the same numbers for the same seed and different ones for another seed', () => {
        expect(differences(features(reservoir, 42), whole)).to.deep.equal([]);
        const other = features(reservoir, 43);
        let changed = 0;
        for (let i = 0; i < other.length; i++) if (!Object.is(other[i], whole[i])) changed++;
        expect(changed).to.be.greaterThan(whole.length / 2);
      });

      it('gives a person the same features whatever the rest of the population, given the same scaling', () => {
        // Rows are computed independently: the first 50 people alone match the first 50 in the whole set.
        const out = new Float64Array(50 * width);
        extractFeatures(reservoir, { energies: energies.subarray(0, 200), ids: ids.slice(0, 50), scaling }, RESERVOIR_DEFAULTS, 42, out);
        expect(differences(out, whole.subarray(0, 50 * width))).to.deep.equal([]);
      });

      it('rejects a row range outside the set', () => {
        const out = new Float64Array(n * width);
        expect(() => extractFeatures(reservoir, { energies, ids, scaling, from: 10, to: n + 1 }, RESERVOIR_DEFAULTS, 42, out)).to.throw(RangeError);
        expect(() => extractFeatures(reservoir, { energies, ids, scaling, from: 20, to: 10 }, RESERVOIR_DEFAULTS, 42, out)).to.throw(RangeError);
      });
    });
  }
});

describe('inputScalingOf', () => {
  it('centres on the mean profile and divides by the root-mean-square deviation', () => {
    const scaling = inputScalingOf(Float64Array.from([10, 20, 30, 40, 30, 20, 10, 40]));
    expect(Array.from(scaling.centre)).to.deep.equal([20, 20, 20, 40]);
    // Deviations ±10, 0, ±10, 0: mean square 50.
    expect(scaling.inverseSpread).to.be.closeTo(1 / Math.sqrt(50), 1e-15);
  });

  it('uses 1 when the population does not vary', () => {
    expect(inputScalingOf(new Float64Array(12).fill(25)).inverseSpread).to.equal(1);
  });
});
