import { expect } from 'chai';
import { parseXml } from '../testing.js';
import type { Energy } from '@insights/core';
import { CLUSTER_SHADES, clusterPalette, ENERGY_COLOURS, iconDefs, markerIcon, SHAPES, shapePath } from './markers.js';

describe('cluster markers', () => {
  const cluster = (id: number, dominant: Energy) => ({ id, dominant });

  it('draws each cluster in the colour of its dominant energy', () => {
    const palette = clusterPalette([cluster(0, 'yellow'), cluster(1, 'red'), cluster(2, 'blue'), cluster(3, 'green')]);
    expect(palette(0).colour).to.equal(ENERGY_COLOURS.yellow);
    expect(palette(1).colour).to.equal(ENERGY_COLOURS.red);
    expect(palette(2).colour).to.equal(ENERGY_COLOURS.blue);
    expect(palette(3).colour).to.equal(ENERGY_COLOURS.green);
  });

  it('shades clusters that share a dominant energy apart, in id order, and gives each its own shape', () => {
    const palette = clusterPalette([cluster(5, 'red'), cluster(2, 'red'), cluster(7, 'red'), cluster(1, 'blue')]);
    expect([2, 5, 7].map((id) => palette(id).colour)).to.deep.equal(CLUSTER_SHADES.red.slice(0, 3));
    expect(new Set([1, 2, 5, 7].map((id) => palette(id).shape)).size).to.equal(4);
  });

  it('gives each of 50 clusters its own colour and shape pair', () => {
    const energies: Energy[] = ['red', 'blue', 'green', 'yellow'];
    const palette = clusterPalette(Array.from({ length: 50 }, (_, i) => cluster(i, energies[i % 4]!)));
    const pairs = Array.from({ length: 50 }, (_, i) => `${palette(i).colour}/${palette(i).shape}`);
    expect(new Set(pairs).size).to.equal(50);
  });

  it('draws an id the result does not hold in neutral grey', () => {
    expect(clusterPalette([cluster(0, 'red')])(9).colour).to.equal('#8c8c8c');
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
    const defs = parseXml(iconDefs([0, 3], clusterPalette([cluster(0, 'red'), cluster(3, 'blue')])).html);
    const ids = defs.children[0]!.children.map((p) => p.attributes.id);
    expect(ids).to.deep.equal(['k0', 'k3']);
    const icon = parseXml(markerIcon(3).html);
    expect(icon.children[0]!.attributes.href).to.equal('#k3');
  });
});
