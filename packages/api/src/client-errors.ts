import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ApiErrorCode } from './errors.js';
import { PROBLEM_CONTENT_TYPE } from '@insights/runtime';
import { build } from './problem.js';

/** Node's parser errors that are the client's, with the code each answers. */
const CLIENT_ERRORS: Readonly<Record<string, ApiErrorCode>> = {
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
};

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (headers over the limit, a
 * request that took too long, bytes that are not HTTP) with problem+json and a fresh request id,
 * logged with it, as every other refusal: never the raw request text.
 */
export function refuseClientError(log: Logger): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const code = CLIENT_ERRORS[error.code ?? ''] ?? 'INVALID_REQUEST';
    const requestId = randomUUID();
    const detail =
      code === 'HEADERS_TOO_LARGE'
        ? 'the request headers are larger than the server accepts'
        : code === 'REQUEST_TIMEOUT'
          ? 'the request was not received in time'
          : 'the request is not valid HTTP';
    const problem = build(code, detail, requestId);
    log.info({ request_id: requestId, status: problem.status, code, parser_error: error.code }, 'request refused before routing');
    if (socket.writable) {
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
