import { expect } from '@open-wc/testing';
import { Sessions } from '../../src/sessions.js';
import { codeOf } from './expect-error.js';

describe('Sessions', () => {
  it('remembers ended setups by peer and session, at most 1,024 (oldest forgotten first)', () => {
    const sessions = new Sessions<object>();
    const first = {};
    sessions.bind(first, { session: 's0', since: 1 });
    expect(sessions.ended('peer-0', 's0')).to.equal(false);
    sessions.end('peer-0', first);
    expect(sessions.ended('peer-0', 's0')).to.equal(true);
    expect(sessions.ended('peer-0', 's1'), 'another session of the same peer').to.equal(false);
    expect(sessions.ended('peer-1', 's0'), 'the same session text from another peer').to.equal(false);
    sessions.end('peer-2', {}); // never bound: nothing to remember
    expect(sessions.ended('peer-2', 'undefined')).to.equal(false);
    for (let i = 1; i <= 1024; i++) {
      const connection = {};
      sessions.bind(connection, { session: `s${i}`, since: 1 });
      sessions.end(`peer-${i}`, connection);
    }
    expect(sessions.ended('peer-0', 's0'), 'the oldest, past the bound').to.equal(false);
    expect(sessions.ended('peer-1', 's1')).to.equal(true);
    expect(sessions.ended('peer-1024', 's1024')).to.equal(true);
  });

  it('refuses a session older than the newest authenticated one (ERR_REPLAY)', async () => {
    const sessions = new Sessions<object>();
    sessions.check('peer', { session: 'new', since: 200 }, true);
    expect(await codeOf(Promise.resolve().then(() => sessions.check('peer', { session: 'old', since: 100 }, true)))).to.equal('ERR_REPLAY');
    // An unauthenticated announce does not make its session the newest.
    sessions.check('other', { session: 'forged', since: 9e12 }, false);
    expect(() => sessions.check('other', { session: 'real', since: 100 }, true)).not.to.throw();
  });
});
