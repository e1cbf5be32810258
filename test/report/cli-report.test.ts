import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { ClusteringResult, TeamFormationResult } from '@insights/core';
import { flaggedTeams } from '@insights/report';
import { FILTER_SCRIPT } from '../../packages/report/src/sections/navigation.ts';
import { externalReferences, parseXml, personMarks, svgsOf } from '../../packages/report/src/testing.ts';
import { runCli, type CliRun } from '../helpers/run-cli.js';

const PEOPLE = new URL('../../examples/people.csv', import.meta.url).pathname;
const lines = readFileSync(PEOPLE, 'utf8').trim().split('\n');
const header = lines[0]!.split(',');
const rows = lines.slice(1).map((line) => line.split(','));
const ids = rows.map((r) => r[header.indexOf('employee_id')]!);
/** Values of the metadata columns (name, department, site), none of which may reach a report. */
const metadata = ['name', 'department', 'site'].flatMap((column) => rows.map((r) => r[header.indexOf(column)]!));

const QUICK = ['--method', 'kmeans', '--stability-runs', '2', '--seed', '7'];
const TEAMS = ['--team-size', '5-7'];

const started = new Map<string, Promise<CliRun>>();
/** Runs `insights ARGS…` once per distinct ARGS, so runs started up front in parallel are reused. */
function cli(args: string[], input?: string): Promise<CliRun> {
  const key = JSON.stringify([args, input ?? null]);
  if (!started.has(key)) started.set(key, runCli(args, input));
  return started.get(key)!;
}

async function html(args: string[], input?: string): Promise<string> {
  const run = await cli(args, input);
  expect(run.status, run.stderr).to.equal(0);
  expect(run.stdout).to.match(/^<!DOCTYPE html>\n<html lang="en">/);
  return run.stdout;
}

/** The report's wheel, parsed, after checking that every SVG in it is well-formed XML. */
function wheelOf(report: string) {
  const svgs = svgsOf(report);
  expect(svgs.length).to.be.greaterThan(3);
  for (const svg of svgs) parseXml(svg);
  const wheels = svgs.filter((svg) => svg.includes('class="wheel"'));
  expect(wheels).to.have.length(1);
  return parseXml(wheels[0]!);
}

describe('insights cluster|teams --format html', function () {
  this.timeout(60_000);
  const clusterArgs = ['cluster', PEOPLE, ...QUICK, '--clusters', 'auto', '--format', 'html'];
  const teamsArgs = ['teams', PEOPLE, ...QUICK, ...TEAMS, '--format', 'html'];
  before(() => {
    for (const args of [clusterArgs, teamsArgs, ['teams', PEOPLE, ...QUICK, ...TEAMS, '--format', 'json']]) void cli(args);
  });

  it('reports the clustering of the sample: every person a mark, one card per cluster, the auto-k curve, nothing fetched', async () => {
    const report = await html(clusterArgs);
    const json = JSON.parse((await cli(['cluster', PEOPLE, ...QUICK, '--clusters', 'auto', '--format', 'json'])).stdout) as ClusteringResult;
    const marks = personMarks(wheelOf(report));
    expect(marks).to.have.length(ids.length);
    expect(report.match(/<article class="card cluster"/g)).to.have.length(json.k);
    expect(report).to.include('id="auto-k"');
    expect(externalReferences(report)).to.deep.equal([]);
    expect(report).to.match(/@page\s*\{\s*size:\s*A4/);
    for (const id of ids) expect(report).to.include(`<title>${id} · cluster `);
  });

  it('reports the teams of the sample: one card per team with exactly its members', async () => {
    const report = await html(teamsArgs);
    const json = JSON.parse((await cli(['teams', PEOPLE, ...QUICK, ...TEAMS, '--format', 'json'])).stdout) as ClusteringResult & TeamFormationResult;
    expect(personMarks(wheelOf(report))).to.have.length(ids.length);
    const cards = report.match(/<article class="card team[^"]*" id="team-\d+" data-team="\d+"[^>]*>[\s\S]*?<\/article>/g) ?? [];
    expect(cards).to.have.length(json.teams.length);
    json.teams.forEach((team, i) => {
      const members = /<strong>Members: <\/strong>([^<]*)<\/p>/.exec(cards[i]!)![1]!.split(', ');
      expect(members).to.deep.equal(team.members);
    });
    expect(report.match(/class="card team flagged"/g)?.length ?? 0).to.equal(flaggedTeams(json.teams).size);
  });

  it('shows no metadata column of the input', async () => {
    for (const report of [await html(clusterArgs), await html(teamsArgs)]) {
      for (const value of new Set(metadata))
        expect(report, value)
          .not.to.include(`>${value}<`)
          .and.not.to.match(new RegExp(`[ >,]${value}(?![0-9A-F])[,<]`));
      expect(report).not.to.include('Finance').and.not.to.include('department');
    }
  });

  it('--anonymise replaces every employee_id, tooltips included; a salt makes the pseudonyms agree between runs and commands', async () => {
    const salted = ['--anonymise-salt', 'team-offsite-2026'];
    const [a, b, teams, unsalted] = await Promise.all([
      html([...clusterArgs, ...salted]),
      html([...clusterArgs, ...salted]),
      html([...teamsArgs, ...salted]),
      html([...teamsArgs, '--anonymise']),
    ]);
    for (const report of [a, teams, unsalted]) {
      // A pseudonym's hex digits may happen to read like an id ("Person E045"), so take them out first.
      const rest = report.replace(/Person [0-9A-F]{4,}/g, '');
      for (const id of ids) expect(rest).not.to.match(new RegExp(`\\b${id}\\b`));
      expect(personMarks(wheelOf(report))).to.have.length(ids.length);
    }
    const pseudonyms = (report: string) => [...report.matchAll(/<title>(Person [0-9A-F]+) · cluster/g)].map((m) => m[1]!);
    expect(new Set(pseudonyms(a)).size).to.equal(ids.length);
    expect(pseudonyms(b)).to.deep.equal(pseudonyms(a));
    expect(new Set(pseudonyms(teams))).to.deep.equal(new Set(pseudonyms(a)));
    expect(new Set(pseudonyms(unsalted))).not.to.deep.equal(new Set(pseudonyms(a)));
  });

  it('escapes hostile employee_ids', async () => {
    const csv = [
      'employee_id,red_energy,blue_energy,green_energy,yellow_energy',
      '"<script>alert(1)</script>",60,20,10,10',
      '"""&\'",10,60,20,10',
      '"</svg><img src=x onerror=alert(1)>",10,20,60,10',
      'plain,10,10,20,60',
      'other,50,10,10,30',
      'more,20,50,20,10',
    ].join('\n');
    const report = await html(['teams', '-', '--method', 'kmeans', '--clusters', '2', '--stability-runs', '0', '--teams', '2', '--format', 'html'], csv);
    expect(
      [...report.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]),
      'no script but the filter',
    ).to.deep.equal([FILTER_SCRIPT]);
    expect(report).not.to.include('<img');
    expect(report).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.to.include('&quot;&amp;&#39;');
    expect(externalReferences(report)).to.deep.equal([]);
    expect(personMarks(wheelOf(report))).to.have.length(6);
  });

  it('--label-column shows a column of the input beside each employee_id, and only that column', async () => {
    const report = await html([...teamsArgs, '--label-column', 'name']);
    const names = rows.map((r) => r[header.indexOf('name')]!);
    expect(report).to.include(`${names[0]} (${ids[0]})`);
    expect(report).not.to.include('department');
  });

  it('refuses --label-column with --anonymise, with another format, or naming no column, saying which columns there are', async () => {
    const withPseudonyms = await cli([...teamsArgs, '--label-column', 'name', '--anonymise']);
    expect(withPseudonyms.status).to.equal(2);
    expect(withPseudonyms.stderr).to.include('--label-column cannot be combined with --anonymise');
    const json = await cli(['cluster', PEOPLE, ...QUICK, '--format', 'json', '--label-column', 'name']);
    expect(json.status).to.equal(2);
    expect(json.stderr).to.include('--label-column applies to --format html only');
    const unknown = await cli([...clusterArgs, '--label-column', 'nickname']);
    expect(unknown.status).to.equal(2);
    expect(unknown.stdout).to.equal('');
    expect(unknown.stderr).to.include('no column "nickname" in the input; its other columns are "name", "department", "site"');
  });

  it('refuses --anonymise with any other format, before doing any work', async () => {
    const run = await cli(['cluster', PEOPLE, ...QUICK, '--format', 'json', '--anonymise']);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.include('--anonymise applies to --format html only');
  });
});
