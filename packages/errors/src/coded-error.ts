/**
 * Whose fault an error is, from which every surface derives its answer in one table of its own:
 * - `caller`: the request, the data or the configuration is wrong; repeating it fails the same way
 *   (HTTP 4xx, exit status 2, BullMQ unrecoverable);
 * - `ours`: a bug or a state we should never reach (HTTP 500, exit status 1, retried);
 * - `transient`: a service we need cannot be reached now; the same request may succeed later
 *   (HTTP 503, exit status 1, retried with backoff).
 */
export type Fault = 'caller' | 'ours' | 'transient';

/** Every fault, in the order the documentation lists them. */
export const FAULTS: readonly Fault[] = ['caller', 'ours', 'transient'];

/**
 * Base of every error the system raises on purpose: a stable `code` that programs compare (never
 * the message) and its `fault`. Each package's error families extend it.
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  readonly fault: Fault;
  constructor(code: C, fault: Fault, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.fault = fault;
  }
}

/** The fault of anything thrown: a coded error's own, and `ours` for everything else (a bug until shown otherwise). */
export function faultOf(error: unknown): Fault {
  return error instanceof CodedError ? error.fault : 'ours';
}
