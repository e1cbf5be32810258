import { expect } from 'chai';
import { InvalidInputError } from '../errors.js';
import { planSizes } from './team-sizes.js';
import { invalidInput } from '../testing.js';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('planSizes', () => {
  describe('with a number of teams', () => {
    for (const [n, teams] of [
      [23, 4],
      [23, 23],
      [100, 7],
      [100, 1],
      [503, 72],
      [503, 10],
    ] as const) {
      it(`splits ${n} people into ${teams} teams whose sizes differ by at most one`, () => {
        const plan = planSizes(n, teams, undefined);
        expect(plan.targets).to.have.length(teams);
        expect(sum(plan.targets)).to.equal(n);
        expect(plan.max - plan.min).to.be.at.most(1);
        expect(plan.min).to.equal(Math.min(...plan.targets));
        expect(plan.max).to.equal(Math.max(...plan.targets));
        expect(plan.min).to.equal(Math.floor(n / teams));
      });
    }

    it('refuses more teams than people, saying how many would do', () => {
      const error = invalidInput(() => planSizes(7, 8, undefined));
      expect(error.message).to.include('cannot form 8 teams from 7 people: at most 7 teams');
    });
  });

  describe('with a size range', () => {
    for (const n of [23, 100, 503]) {
      for (const range of [
        [3, 4],
        [4, 5],
        [5, 7],
        [10, 15],
      ] as [number, number][]) {
        it(`plans the fewest teams of ${range[0]}–${range[1]} for ${n} people`, () => {
          const plan = planSizes(n, undefined, range);
          expect(plan.targets).to.have.length(Math.ceil(n / range[1]));
          expect(sum(plan.targets)).to.equal(n);
          for (const size of plan.targets) expect(size).to.be.within(range[0], range[1]);
          expect(Math.max(...plan.targets) - Math.min(...plan.targets)).to.be.at.most(1);
          expect([plan.min, plan.max]).to.deep.equal(range);
        });
      }
    }

    it('refuses exactly the populations that no number of teams fits (every n ≤ 60, every range up to 8)', () => {
      const wrong: string[] = [];
      for (let n = 1; n <= 60; n++) {
        for (let min = 1; min <= 8; min++) {
          for (let max = min; max <= 8; max++) {
            let fits = false;
            for (let count = 1; count <= n; count++) if (count * min <= n && n <= count * max) fits = true;
            let targets: number[] | null = null;
            try {
              targets = planSizes(n, undefined, [min, max]).targets;
            } catch (error) {
              if (!(error instanceof InvalidInputError)) throw error;
            }
            const valid = targets !== null && sum(targets) === n && targets.every((size) => size >= min && size <= max);
            if (fits !== valid) wrong.push(`${n} people in ${min}–${max}: ${targets ? targets.join('+') : 'refused'}`);
          }
        }
      }
      expect(wrong).to.deep.equal([]);
    });

    it('explains an impossible range and suggests sizes that fit', () => {
      const error = invalidInput(() => planSizes(7, undefined, [4, 5]));
      expect(error.message).to.include('cannot split 7 people into teams of 4–5: 2 teams need at least 8 people');
      expect(error.message).to.include('1 team of 4–7 would fit');
    });
  });
});
