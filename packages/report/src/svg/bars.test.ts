import { expect } from 'chai';
import { findAll, parseXml } from '../testing.js';
import { energyBalanceBar, energyBars } from './bars.js';

const energies = { red: 50, blue: 25, green: 15, yellow: 10 };

describe('energy bars', () => {
  it('draws four labelled bars with lengths proportional to the energies', () => {
    const svg = parseXml(energyBars(energies, 'centre').html);
    const widths = findAll(svg, (e) => e.name === 'rect').map((r) => Number(r.attributes.width));
    expect(widths).to.have.length(4);
    expect(widths[0]! / widths[1]!).to.be.closeTo(2, 0.01);
    expect(widths[1]! / widths[3]!).to.be.closeTo(2.5, 0.02);
    const labels = findAll(svg, (e) => e.name === 'text').map((t) => t.text);
    expect(labels).to.include.members(['Red', 'Blue', 'Green', 'Yellow', '50.0 %']);
  });

  it('splits the balance bar by share, widths summing to the bar, initials where they fit', () => {
    const svg = parseXml(energyBalanceBar(energies, 'team').html);
    const widths = findAll(svg, (e) => e.name === 'rect').map((r) => Number(r.attributes.width));
    expect(widths.reduce((a, b) => a + b, 0)).to.be.closeTo(240, 0.3);
    expect(widths[0]).to.be.closeTo(120, 0.1);
    expect(findAll(svg, (e) => e.name === 'text').map((t) => t.text)).to.deep.equal(['R', 'B', 'G', 'Y']);
    expect(findAll(svg, (e) => e.name === 'title')[0]!.text).to.equal('team');
  });
});
