import { expect } from 'chai';
import { countWorkers } from './queue-state.js';

describe('countWorkers', () => {
  it('counts BullMQ worker connections per queue by client name, named workers included', () => {
    const b64 = (name: string) => Buffer.from(name).toString('base64');
    const list = [
      `id=1 addr=127.0.0.1:1 name=insights:${b64('clustering')} db=0 cmd=bzpopmin`,
      `id=2 addr=127.0.0.1:2 name=insights:${b64('clustering')}:w:node-7 db=0 cmd=bzpopmin`,
      `id=3 addr=127.0.0.1:3 name=insights:${b64('team-formation')} db=0`,
      `id=4 addr=127.0.0.1:4 name=insights:${b64('clustering')}:qe db=0 cmd=xread`,
      `id=5 addr=127.0.0.1:5 name=other:${b64('clustering')} db=0`,
      `id=6 addr=127.0.0.1:6 name= db=0`,
      '',
    ].join('\n');
    expect(Object.fromEntries(countWorkers(list, 'insights', ['clustering', 'team-formation', 'idle']))).to.deep.equal({
      clustering: 2,
      'team-formation': 1,
      idle: 0,
    });
  });
});
