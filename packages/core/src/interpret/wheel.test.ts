import { expect } from 'chai';
import { WHEEL_TYPES, wheelPosition, wheelTypeAt } from './wheel.js';

describe('wheelPosition', () => {
  const cases: [string, [number, number, number, number], string][] = [
    ['pure red', [100, 0, 0, 0], 'Director'],
    ['pure blue', [0, 100, 0, 0], 'Observer'],
    ['pure green', [0, 0, 100, 0], 'Supporter'],
    ['pure yellow', [0, 0, 0, 100], 'Inspirer'],
    ['red and yellow', [50, 0, 0, 50], 'Motivator'],
    ['yellow and green', [0, 0, 50, 50], 'Helper'],
    ['green and blue', [0, 50, 50, 0], 'Coordinator'],
    ['blue and red', [50, 50, 0, 0], 'Reformer'],
  ];
  for (const [name, [red, blue, green, yellow], type] of cases) {
    it(`places ${name} on ${type}`, () => {
      expect(wheelPosition(red, blue, green, yellow).type).to.equal(type);
    });
  }

  it('gives radius 1 to a pure energy and about 0.71 to two equal neighbours', () => {
    for (const [, energies] of cases.slice(0, 4)) expect(wheelPosition(...energies).radius).to.be.closeTo(1, 1e-12);
    for (const [, energies] of cases.slice(4)) expect(wheelPosition(...energies).radius).to.be.closeTo(Math.SQRT1_2, 1e-12);
  });

  it('puts four equal energies at the centre', () => {
    expect(wheelPosition(25, 25, 25, 25).radius).to.be.closeTo(0, 1e-12);
    expect(wheelPosition(1, 1, 1, 1).radius).to.be.closeTo(0, 1e-12);
  });

  it('cancels opposite energies', () => {
    expect(wheelPosition(50, 0, 50, 0).radius).to.be.closeTo(0, 1e-12);
    expect(wheelPosition(0, 50, 0, 50).radius).to.be.closeTo(0, 1e-12);
  });

  it('depends on proportions, not on the scale of the energies', () => {
    const a = wheelPosition(40, 30, 20, 10);
    const b = wheelPosition(4, 3, 2, 1);
    expect(b.type).to.equal(a.type);
    expect(b.angle).to.be.closeTo(a.angle, 1e-9);
    expect(b.radius).to.be.closeTo(a.radius, 1e-12);
  });

  it('returns radius 0 for all-zero energies', () => {
    expect(wheelPosition(0, 0, 0, 0).radius).to.equal(0);
  });

  it('reports angles in [0, 360)', () => {
    for (const [, energies] of cases) {
      const { angle } = wheelPosition(...energies);
      expect(angle).to.be.at.least(0);
      expect(angle).to.be.below(360);
    }
    expect(wheelPosition(50, 0, 0, 50).angle % 360).to.be.closeTo(0, 1e-9);
  });
});

describe('wheelTypeAt', () => {
  it('maps each 45° sector to one type, clockwise from Reformer at the top', () => {
    const centres = [90, 45, 0, 315, 270, 225, 180, 135];
    WHEEL_TYPES.forEach((type, i) => {
      expect(wheelTypeAt(centres[i]!)).to.equal(type);
      expect(wheelTypeAt((centres[i]! + 22 + 360) % 360)).to.equal(type);
      expect(wheelTypeAt((centres[i]! - 22 + 360) % 360)).to.equal(type);
    });
    expect(wheelTypeAt(359.9)).to.equal('Motivator');
  });
});
