import { expect } from 'chai';
import { CloseTimeoutError, Scope, ScopeCloseError, type CloseFailure } from './scope.js';

describe('Scope', () => {
  it('closes parts in the reverse order of their start', async () => {
    const scope = new Scope();
    const closed: string[] = [];
    for (const name of ['db', 'redis', 'http']) scope.add(name, name, (part) => void closed.push(part));
    await scope.close();
    expect(closed).to.deep.equal(['http', 'redis', 'db']);
  });

  it('keeps going past closers that throw or reject, and reports every failure', async () => {
    const told: CloseFailure[] = [];
    const scope = new Scope({ onCloseFailure: (failure) => told.push(failure) });
    const closed: string[] = [];
    scope.defer('first', () => void closed.push('first'));
    scope.defer('rejects', () => Promise.reject(new Error('cannot')));
    scope.defer('middle', () => void closed.push('middle'));
    scope.defer('throws', () => {
      throw new Error('will not');
    });
    const error = await scope.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(closed).to.deep.equal(['middle', 'first']);
    expect(error).to.be.instanceOf(ScopeCloseError);
    const failures = (error as ScopeCloseError).failures;
    expect(failures.map((f) => f.name)).to.deep.equal(['throws', 'rejects']);
    expect(failures.map((f) => (f.error as Error).message)).to.deep.equal(['will not', 'cannot']);
    expect(told.map((f) => f.name)).to.deep.equal(['throws', 'rejects']);
  });

  it('memoises the closing promise: a second close joins the first and closes nothing twice', async () => {
    const scope = new Scope();
    let calls = 0;
    let started!: (release: () => void) => void;
    const closeStarted = new Promise<() => void>((resolve) => (started = resolve));
    scope.defer('slow', () => {
      calls++;
      return new Promise<void>((resolve) => started(resolve));
    });
    const first = scope.close();
    const second = scope.close();
    expect(second).to.equal(first);
    expect(scope.closed).to.equal(true);
    (await closeStarted)();
    await first;
    await scope.close();
    expect(calls).to.equal(1);
  });

  it('bounds each close by its timeout and moves on to the next part', async () => {
    const scope = new Scope({ closeTimeoutMs: 30 });
    const closed: string[] = [];
    scope.defer('after', () => void closed.push('after'));
    scope.defer('hangs', () => new Promise(() => undefined));
    const error = await scope.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(closed).to.deep.equal(['after']);
    const [failure] = (error as ScopeCloseError).failures;
    expect(failure!.name).to.equal('hangs');
    expect(failure!.error).to.be.instanceOf(CloseTimeoutError);
    expect((failure!.error as CloseTimeoutError).timeoutMs).to.equal(30);
  });

  it('lets a part have a bound of its own', async () => {
    const scope = new Scope({ closeTimeoutMs: 10 });
    let finished = false;
    scope.add('patient', 40, (ms) => new Promise<void>((resolve) => setTimeout(() => resolve(void (finished = true)), ms)), { timeoutMs: 5_000 });
    await scope.close();
    expect(finished).to.equal(true);
  });

  it('closes what had started when a start fails half-way, and throws the start error', async () => {
    const scope = new Scope();
    const closed: string[] = [];
    const startError = new Error('port taken');
    const error = await scope
      .closeAfter(async () => {
        scope.defer('db', () => void closed.push('db'));
        scope.defer('redis', () => {
          throw new Error('redis close failed too');
        });
        throw startError;
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.equal(startError);
    expect(closed).to.deep.equal(['db']);
    expect(scope.closed).to.equal(true);
  });

  it('closes at once a part registered after the scope was closed', async () => {
    const scope = new Scope();
    await scope.close();
    let closed = false;
    let done!: () => void;
    const closing = new Promise<void>((resolve) => (done = resolve));
    scope.defer('late', () => {
      closed = true;
      done();
    });
    await closing;
    expect(closed).to.equal(true);
  });
});
