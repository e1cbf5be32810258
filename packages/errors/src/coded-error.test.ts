import { expect } from 'chai';
import { CodedError, faultOf } from './coded-error.js';

class Refused extends CodedError<'REFUSED'> {
  constructor() {
    super('REFUSED', 'caller', 'refused', { cause: new Error('why') });
  }
}

describe('CodedError', () => {
  it('carries its code, its fault, its class name and its cause', () => {
    const error = new Refused();
    expect(error).to.be.instanceOf(Error);
    expect(error.code).to.equal('REFUSED');
    expect(error.fault).to.equal('caller');
    expect(error.name).to.equal('Refused');
    expect((error.cause as Error).message).to.equal('why');
  });

  it('says that anything not coded is our fault', () => {
    expect(faultOf(new Refused())).to.equal('caller');
    expect(faultOf(new CodedError('GONE', 'transient', 'gone'))).to.equal('transient');
    expect(faultOf(new TypeError('x is undefined'))).to.equal('ours');
    expect(faultOf('a string')).to.equal('ours');
  });
});
