import { expect } from 'chai';
import { parseXml } from '../testing.js';
import { CLUSTER_COLOURS, clusterStyle, iconDefs, markerIcon, SHAPES, shapePath } from './markers.js';

describe('cluster markers', () => {
  it('gives the first eight clusters distinct colours and distinct shapes', () => {
    const styles = Array.from({ length: 8 }, (_, i) => clusterStyle(i));
    expect(new Set(styles.map((s) => s.colour)).size).to.equal(8);
    expect(new Set(styles.map((s) => s.shape)).size).to.equal(8);
  });

  it('gives each of 50 clusters its own colour and shape pair', () => {
    const pairs = Array.from({ length: 50 }, (_, i) => `${clusterStyle(i).colour}/${clusterStyle(i).shape}`);
    expect(new Set(pairs).size).to.equal(50);
  });

  it('keeps the Insights energy colours out of the cluster palette', () => {
    expect(CLUSTER_COLOURS).not.to.include.members(['#c8102e', '#0057b8', '#00843d', '#f2c500']);
  });

  it('draws every shape as closed path data within its size', () => {
    for (const shape of SHAPES) {
      const d = shapePath(shape, 5);
      expect(d, shape).to.match(/^M.*Z$/);
      const numbers = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
      expect(Math.max(...numbers.map(Math.abs)), shape).to.be.at.most(10);
    }
  });

  it('writes icon definitions and icons as well-formed SVG referring to them', () => {
    const defs = parseXml(iconDefs([0, 3]).html);
    const ids = defs.children[0]!.children.map((p) => p.attributes.id);
    expect(ids).to.deep.equal(['k0', 'k3']);
    const icon = parseXml(markerIcon(3).html);
    expect(icon.children[0]!.attributes.href).to.equal('#k3');
  });
});
