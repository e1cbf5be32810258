import { expect } from 'chai';
import { findAll, parseXml } from '../testing.js';
import { autoKChart } from './line-chart.js';

describe('autoKChart', () => {
  const curve = [
    { k: 2, silhouette: 0.5, stability: 0.95 },
    { k: 3, silhouette: 0.7, stability: 0.9 },
    { k: 4, silhouette: 0.6, stability: 0.7 },
  ];
  const svg = parseXml(autoKChart(curve, 3, 0.8).html);

  it('draws both series through every k, higher values higher up', () => {
    const lines = findAll(svg, (e) => e.name === 'polyline').map((p) => p.attributes.points!.split(' ').map((xy) => xy.split(',').map(Number)));
    expect(lines).to.have.length(2);
    for (const line of lines) expect(line).to.have.length(3);
    const silhouette = lines[0]!;
    expect(silhouette[1]![1]).to.be.lessThan(silhouette[0]![1]!);
    expect(silhouette[1]![1]).to.be.lessThan(silhouette[2]![1]!);
  });

  it('tells the series apart by dash as well as colour, and names the chosen k', () => {
    const [a, b] = findAll(svg, (e) => e.name === 'polyline');
    expect(a!.attributes['stroke-dasharray']).to.equal(undefined);
    expect(b!.attributes['stroke-dasharray']).to.be.a('string');
    const texts = findAll(svg, (e) => e.name === 'text').map((t) => t.text);
    expect(texts).to.include.members(['chosen k = 3', 'silhouette', 'stability', 'stability bar 0.8']);
  });
});
