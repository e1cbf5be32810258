import { expect } from 'chai';
import { WHEEL_TYPES, type ClusterSummary } from '@insights/core';
import { findAll, parseXml, personMarks } from '../testing.js';
import type { PlacedPerson } from '../people.js';
import { clusterPalette } from './markers.js';
import { wheelPoint, wheelSvg } from './wheel.js';

const clusters: ClusterSummary[] = [
  { id: 0, size: 2, centroid: { red: 60, blue: 20, green: 5, yellow: 15 }, dominant: 'red', secondary: 'blue', wheel_type: 'Director', wheel_radius: 0.6 },
  { id: 1, size: 1, centroid: { red: 5, blue: 15, green: 60, yellow: 20 }, dominant: 'green', secondary: 'yellow', wheel_type: 'Supporter', wheel_radius: 0.6 },
];
const people: PlacedPerson[] = [
  { employee_id: 'E1', cluster: 0, angle: 45, radius: 0.5, type: 'Director' },
  { employee_id: '<script>"&\'', cluster: 0, angle: 50, radius: 0.6, type: 'Director' },
  { employee_id: 'E3', cluster: 1, angle: 225, radius: 0.7, type: 'Supporter' },
];

describe('wheelPoint', () => {
  it('puts red (45°) up and right of the centre, green (225°) down and left, the centre at radius 0', () => {
    const centre = wheelPoint(123, 0);
    const red = wheelPoint(45, 1);
    const green = wheelPoint(225, 1);
    expect(red.x).to.be.greaterThan(centre.x);
    expect(red.y).to.be.lessThan(centre.y);
    expect(green.x).to.be.lessThan(centre.x);
    expect(green.y).to.be.greaterThan(centre.y);
    expect(Math.hypot(red.x - centre.x, red.y - centre.y)).to.be.closeTo(
      2 * Math.hypot(wheelPoint(45, 0.5).x - centre.x, wheelPoint(45, 0.5).y - centre.y),
      0.2,
    );
  });
});

describe('wheelSvg', () => {
  const svg = parseXml(wheelSvg({ people, clusters, name: (id) => id, style: clusterPalette(clusters) }).html);

  it('is well-formed SVG with one mark per person, each with a tooltip naming them', () => {
    expect(svg.name).to.equal('svg');
    const marks = personMarks(svg);
    expect(marks).to.have.length(people.length);
    expect(marks.map((m) => findAll(m, (e) => e.name === 'title')[0]!.text)).to.deep.equal([
      'E1 · cluster 0 · Director',
      '<script>"&\' · cluster 0 · Director',
      'E3 · cluster 1 · Supporter',
    ]);
  });

  it('gives each cluster its own marker shape and colour', () => {
    const groups = findAll(svg, (e) => e.name === 'g' && e.attributes['data-cluster'] !== undefined);
    expect(groups.map((g) => g.attributes['data-cluster'])).to.deep.equal(['0', '1']);
    expect(groups[0]!.attributes.fill).not.to.equal(groups[1]!.attributes.fill);
    expect(personMarks(svg)[0]!.attributes.href).not.to.equal(personMarks(svg)[2]!.attributes.href);
  });

  it('labels the eight type sectors and marks each centroid', () => {
    const labels = findAll(svg, (e) => e.name === 'tspan' && e.attributes.class === 'type').map((e) => e.text);
    expect(labels).to.deep.equal([...WHEEL_TYPES]);
    expect(findAll(svg, (e) => e.name === 'g' && e.attributes.class === 'centroid')).to.have.length(2);
  });

  it('shows names through the given function only', () => {
    const hidden = wheelSvg({ people, clusters, name: () => 'Person 0000', style: clusterPalette(clusters) }).html;
    expect(hidden).not.to.include('E1 ');
    expect(hidden).not.to.include('&lt;script');
    expect(hidden.match(/Person 0000/g)).to.have.length(3);
  });
});
