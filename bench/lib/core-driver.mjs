// The floor for `insights cluster`: the core alone, with no command-line layer. Reads a CSV,
// clusters it with k-means (k = 4, default options) and prints the result as JSON.
// Run: node bench/lib/core-driver.mjs FILE   (needs `npm run build`)
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { clusterProfiles, parseProfiles } from '@insights/core';

const profiles = parseProfiles(readFileSync(process.argv[2], 'utf8'), { format: 'auto', skipInvalid: false });
process.stdout.write(`${JSON.stringify(clusterProfiles(profiles, { method: 'kmeans', clusters: 4 }))}\n`);
