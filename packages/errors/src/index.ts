/**
 * @insights/errors — the one coded error base: a stable `code` and a `fault` (caller, ours,
 * transient). A leaf: it depends on nothing, and every package's errors extend it.
 */
export { CodedError, FAULTS, faultOf, type Fault } from './coded-error.js';
