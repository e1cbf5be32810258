import { startDelayProxy, type DelayRoute } from './delay-proxy.js';

// Started on a host by the multi-host tests: argv is the routes (JSON), the one-way delay and the source address.
const [routes, oneWayMs, sourceAddress] = process.argv.slice(2);
await startDelayProxy(JSON.parse(routes!) as DelayRoute[], Number(oneWayMs), sourceAddress!);
console.log(JSON.stringify({ msg: 'delay proxy ready' }));
