import { Writable } from 'node:stream';
import { expect } from 'chai';
import { serviceLogger } from './logger.js';

describe('serviceLogger', () => {
  it('writes the service and pid on every line and redacts credentials wherever they are', () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const log = serviceLogger({ service: 'insights-api', level: 'info', base: { stream: 'audit' }, destination });
    log.info({ token: 'oci_secret', headers: { authorization: 'Bearer oci_x' }, nested: { secret: 's3' } }, 'hello');
    expect(lines[0]).to.include({ service: 'insights-api', pid: process.pid, stream: 'audit', msg: 'hello', token: '[redacted]' });
    expect(lines[0]!.headers).to.deep.equal({ authorization: '[redacted]' });
    expect(lines[0]!.nested).to.deep.equal({ secret: '[redacted]' });
  });
});
