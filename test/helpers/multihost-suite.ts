import { netnsUnavailable } from './netns.js';
import { postgresBinary } from './netns-postgres.js';

const unavailable =
  netnsUnavailable() ?? (postgresBinary('initdb') && postgresBinary('postgres') ? undefined : "PostgreSQL's initdb and postgres are not installed");

/**
 * A mocha `describe` for a multi-host scenario: registered when this machine can build network
 * namespaces (root, iproute2, nftables, redis-server, PostgreSQL), otherwise left out with the
 * reason printed — the suite forbids pending tests, so a skip is said, not registered.
 */
export function describeMultiHost(title: string, body: (this: Mocha.Suite) => void): void {
  if (unavailable) {
    console.log(`  ${title}: not run here (${unavailable})`);
    return;
  }
  describe(title, function () {
    this.timeout(180_000);
    body.call(this);
  });
}

/** Prints a scenario's figures as one JSON line, for the run's log and docs/reliability.md. */
export function printFigures(scenario: string, figures: Record<string, unknown>): void {
  console.log(JSON.stringify({ scenario, ...figures }));
}
