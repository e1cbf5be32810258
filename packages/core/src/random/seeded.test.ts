import { expect } from 'chai';
import { hashSeed, normal, randomStream } from './seeded.js';

function draw(seed: number, key: string, count = 50): number[] {
  const stream = randomStream(seed, key);
  return Array.from({ length: count }, () => stream.next());
}

describe('randomStream', () => {
  it('is deterministic for a (seed, key) pair', () => {
    expect(draw(42, 'kmeans:0')).to.deep.equal(draw(42, 'kmeans:0'));
  });

  it('gives different streams for different keys and different seeds', () => {
    const base = draw(42, 'e1');
    expect(draw(42, 'e2')).to.not.deep.equal(base);
    expect(draw(43, 'e1')).to.not.deep.equal(base);
    expect(draw(42 + 2 ** 32 - 1, 'e1')).to.not.deep.equal(base);
    // Close keys must not give shifted copies of each other.
    const shifted = draw(42, 'e2');
    expect(base.slice(1)).to.not.deep.equal(shifted.slice(0, -1));
  });

  it('draws values in [0, 1) spread over the interval', () => {
    const values = draw(7, 'uniform', 20_000);
    expect(values.filter((v) => !(v >= 0 && v < 1))).to.deep.equal([]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).to.be.closeTo(0.5, 0.01);
    const deciles = new Array<number>(10).fill(0);
    for (const v of values) deciles[Math.floor(v * 10)]!++;
    for (const count of deciles) expect(count).to.be.within(1800, 2200);
  });

  it('draws integers in [0, n) hitting every value', () => {
    const stream = randomStream(3, 'int');
    for (const n of [1, 2, 7, 1000]) {
      const seen = new Set<number>();
      for (let i = 0; i < 20 * n + 100; i++) {
        const v = stream.int(n);
        expect(Number.isInteger(v) && v >= 0 && v < n, `${v} for n ${n}`).to.equal(true);
        seen.add(v);
      }
      expect(seen.size).to.equal(n);
    }
  });

  it('draws unsigned 32-bit integers', () => {
    const stream = randomStream(5, 'uint32');
    let high = false;
    for (let i = 0; i < 1000; i++) {
      const v = stream.uint32();
      expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).to.equal(true);
      if (v >= 2 ** 31) high = true;
    }
    expect(high).to.equal(true);
  });
});

describe('hashSeed', () => {
  it('is a deterministic 32-bit integer, distinct for distinct keys under one seed', () => {
    expect(hashSeed(1, 'a')).to.equal(hashSeed(1, 'a'));
    expect(hashSeed(1, 'a') | 0).to.equal(hashSeed(1, 'a'));
    const keys = Array.from({ length: 2000 }, (_, i) => `E${i}`);
    expect(new Set(keys.map((key) => hashSeed(42, key))).size).to.equal(keys.length);
  });

  it('does not give another seed the stream of a neighbouring key', () => {
    // The seed is XOR-ed into the FNV basis before the key's first character is, so a seed
    // and a first character that differ in the same bits cancel out.
    expect(hashSeed(3, 'b'), "hashSeed(3, 'b') vs hashSeed(0, 'a')").to.not.equal(hashSeed(0, 'a'));
    expect(hashSeed(41, 'B100'), "hashSeed(41, 'B100') vs hashSeed(42, 'A100')").to.not.equal(hashSeed(42, 'A100'));
  });
});

describe('normal', () => {
  it('draws standard normal values', () => {
    const stream = randomStream(9, 'normal');
    const values = Array.from({ length: 20_000 }, () => normal(stream));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(mean).to.be.closeTo(0, 0.03);
    expect(variance).to.be.closeTo(1, 0.04);
    expect(values.every(Number.isFinite)).to.equal(true);
  });
});
