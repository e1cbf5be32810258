import { expect } from 'chai';
import { findAll, parseXml } from '../testing.js';
import { energyBalanceBar, energyBars, valueLabelX } from './bars.js';

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

  it('never lets a value label cross the dashed 25 % line, and starts each after its bar', () => {
    for (let value = 0; value <= 100; value += 0.5) {
      const svg = parseXml(energyBars({ red: value, blue: 25, green: 24.9, yellow: Math.max(0, 100 - value - 49.9) }, 'centre').html);
      const line = Number(findAll(svg, (e) => e.name === 'line')[0]!.attributes.x1);
      const rects = findAll(svg, (e) => e.name === 'rect');
      const values = findAll(svg, (e) => e.name === 'text' && e.attributes.class === 'value');
      expect(values).to.have.length(4);
      values.forEach((label, i) => {
        const x = Number(label.attributes.x);
        const barEnd = Number(rects[i]!.attributes.x) + Number(rects[i]!.attributes.width);
        expect(x, `${label.text} after the line`).to.be.at.least(line + 4);
        expect(x, `${label.text} after its bar`).to.be.at.least(barEnd + 4);
      });
    }
    expect(valueLabelX(60, 102)).to.equal(106);
    expect(valueLabelX(150, 102)).to.equal(154);
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
