import { expect } from 'chai';
import { wheelPosition } from '@insights/core';
import { placePeople } from './people.js';

describe('placePeople', () => {
  const assignments = [
    { employee_id: 'b', cluster: 1 },
    { employee_id: 'a', cluster: 0 },
    { employee_id: 'gone', cluster: 0 },
  ];
  const people = { ids: ['a', 'b'], energies: [70, 10, 10, 10, 10, 20, 60, 10] };

  it('places people by id through the core’s wheelPosition, in the result’s order', () => {
    const { placed, missing } = placePeople(assignments, people);
    expect(placed.map((p) => p.employee_id)).to.deep.equal(['b', 'a']);
    const expected = wheelPosition(10, 20, 60, 10);
    expect(placed[0]).to.deep.equal({ employee_id: 'b', cluster: 1, angle: expected.angle, radius: expected.radius, type: expected.type });
    expect(placed[1]!.type).to.equal('Director');
    expect(missing).to.equal(1);
  });

  it('counts everyone as missing without energies', () => {
    expect(placePeople(assignments, undefined)).to.deep.equal({ placed: [], missing: 3 });
  });
});
