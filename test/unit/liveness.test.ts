// Liveness of one connection (src/remote/liveness.ts) with short intervals:
// the setup watchdog, the heartbeat and its timeout, the mapping of the
// transport's state, and the ICE restart on the impolite side.
import { expect } from '@open-wc/testing';
import type { PeerixError } from '../../src/errors.js';
import { Liveness, type DisposeReason, type LivenessHooks } from '../../src/remote/liveness.js';
import type { ConnectionState } from '../../src/types.js';
import { until, wait } from './wait.js';


function liveness(overrides: Partial<LivenessHooks> = {}) {
  const record = {
    states: [] as ConnectionState[],
    pings: 0,
    restarts: 0,
    ticks: 0,
    errors: [] as PeerixError[],
    ended: [] as DisposeReason[],
    inbandOpened: false,
    transport: 'new' as RTCPeerConnectionState,
    /** What getStats would say was received; a test makes it grow to play a starved but sending peer. */
    bytes: 0,
  };
  const l: Liveness = new Liveness({
    peerId: 'remote',
    polite: false,
    connectionTimeout: 0,
    heartbeatInterval: 20,
    heartbeatTimeout: 150,
    changed: (state) => record.states.push(state),
    inbandOpened: () => record.inbandOpened,
    inband: () => record.inbandOpened,
    transportState: () => record.transport,
    trafficReceived: async () => record.bytes,
    ping: () => record.pings++,
    restartIce: () => record.restarts++,
    tick: () => record.ticks++,
    error: (e) => record.errors.push(e),
    end: (reason) => {
      record.ended.push(reason);
      l.dispose();
      l.set('closed');
    },
    ...overrides,
  });
  return { l, record };
}

/** A connection with channel 0 open and heartbeats running, over a transport in `transport`. */
function beating(overrides: Partial<LivenessHooks>, transport: RTCPeerConnectionState = 'connected') {
  const made = liveness(overrides);
  made.record.inbandOpened = true;
  made.record.transport = transport;
  made.l.start();
  made.l.startHeartbeat();
  return made;
}

describe('liveness', () => {
  it('maps the transport: connecting, then connected only once the in-band channel opened', () => {
    const { l, record } = liveness();
    l.transport('connecting');
    l.transport('connected');
    expect(record.states).to.deep.equal(['connecting']); // the transport alone is not a connection
    record.inbandOpened = true;
    l.transport('connected');
    l.start(); // the channel's own open: no second event
    expect(record.states).to.deep.equal(['connecting', 'connected']);
    expect(l.state).to.equal('connected');
    l.dispose();
  });

  it('a failed transport: failed, ERR_CONNECTION, and the connection ends ("failed"); nothing after closed', () => {
    const { l, record } = liveness();
    l.start();
    l.transport('failed');
    expect(record.states).to.deep.equal(['connected', 'failed', 'closed']);
    expect(record.errors.map((e) => e.code)).to.deep.equal(['ERR_CONNECTION']);
    expect(record.ended).to.deep.equal(['failed']);
    l.set('connected');
    expect(l.state).to.equal('closed');
  });

  it('a closed transport ends the connection as "vanished"', () => {
    const { l, record } = liveness();
    l.transport('closed');
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('heartbeat: pings while in-band, stays healthy while heard from, ends as "vanished" once silent', async () => {
    const { l, record } = liveness({ heartbeatTimeout: 300 });
    record.inbandOpened = true;
    l.start();
    l.startHeartbeat();
    expect(l.healthy).to.equal(true);
    // Heard from all along (ticks every 50 ms, the timeout is 300 ms): alive past the timeout.
    const keepAlive = setInterval(() => l.heard(), 20);
    await until(() => record.pings >= 8 && record.ticks >= 8, 'pings and ticks');
    clearInterval(keepAlive);
    expect(record.ended).to.deep.equal([]);
    expect(l.healthy).to.equal(true);
    await until(() => record.ended.length > 0, 'the heartbeat timeout');
    expect(record.ended).to.deep.equal(['vanished']);
    expect(l.state).to.equal('closed');
    expect(l.healthy).to.equal(false);
  });

  it('a silent peer that still sends media (starved, not gone) is kept; once nothing arrives, it ends', async () => {
    const { l, record } = beating({ heartbeatTimeout: 100 });
    // No pings heard, but bytes keep arriving on the connection (its camera still sends).
    const media = setInterval(() => (record.bytes += 1000), 10);
    await wait(500); // five heartbeat timeouts
    expect(record.ended).to.deep.equal([]);
    expect(l.state).to.equal('connected');
    clearInterval(media); // now really gone
    await until(() => record.ended.length > 0, 'the end once no traffic arrives');
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('a starved peer whose traffic (ICE checks) comes only every 60 % of the timeout is kept: the flat window is longer than that gap', async () => {
    const { l, record } = beating({ heartbeatTimeout: 400 });
    const checks = setInterval(() => (record.bytes += 100), 240); // as Chromium's 2.5 s between ICE checks, against the 4 s timeout
    await wait(2000); // five timeouts
    expect(record.ended).to.deep.equal([]);
    clearInterval(checks);
    await until(() => record.ended.length > 0, 'the end once the checks stop');
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('a stall of this page is not taken for the remote\'s silence: traffic that shows again soon after keeps the connection', async () => {
    const { l, record } = beating({ heartbeatTimeout: 400 });
    // This page stalls past the timeout (no tick, nothing heard, no bytes counted) ...
    const stallEnds = Date.now() + 700;
    while (Date.now() < stallEnds) {
      // busy: the main thread is blocked
    }
    // ... and the remote's bytes show again 100 ms after it (less than half the timeout).
    let media: ReturnType<typeof setInterval> | undefined;
    setTimeout(() => (media = setInterval(() => (record.bytes += 1000), 10)), 100);
    await wait(500);
    expect(record.ended).to.deep.equal([]);
    clearInterval(media);
    await until(() => record.ended.length > 0, 'the end once no traffic arrives');
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('on a loaded page whose every tick runs late, a silent peer still ends (lateness is not a stall)', async () => {
    const { l, record } = beating({ heartbeatTimeout: 100 });
    // Other work holds the main thread 40 ms at a time: every 50 ms tick comes up to 40 ms late.
    const load = setInterval(() => {
      const busyUntil = Date.now() + 40;
      while (Date.now() < busyUntil) {
        // busy
      }
    }, 5);
    try {
      await until(() => record.ended.length > 0, 'the end of a silent peer on a loaded page', 3000);
    } finally {
      clearInterval(load);
    }
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('a silent peer on a disconnected transport is kept while its traffic arrives (ICE rides it out), and ends once it stops', async () => {
    const { l, record } = beating({ heartbeatTimeout: 100 }, 'disconnected');
    const media = setInterval(() => (record.bytes += 1000), 10);
    await wait(400);
    expect(record.ended).to.deep.equal([]);
    clearInterval(media);
    await until(() => record.ended.length > 0, 'the heartbeat timeout');
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('a silent peer on a closed transport ends after the heartbeat timeout, whatever the stats say', async () => {
    const { l, record } = beating({ heartbeatTimeout: 100 }, 'closed');
    const media = setInterval(() => (record.bytes += 1000), 10);
    await until(() => record.ended.length > 0, 'the heartbeat timeout');
    clearInterval(media);
    expect(record.ended).to.deep.equal(['vanished']);
  });

  it('no pings while the in-band path is down (they would be dropped)', async () => {
    const { l, record } = liveness({ heartbeatTimeout: 10_000 });
    l.start();
    l.startHeartbeat();
    await until(() => record.ticks >= 3, 'ticks');
    expect(record.pings).to.equal(0);
    l.dispose();
  });

  it('setup watchdog: a connectionTimeout passed without connecting is ERR_TIMEOUT and ends as "timeout"', async () => {
    const { record } = liveness({ connectionTimeout: 40 });
    await until(() => record.ended.length > 0, 'the setup timeout');
    expect(record.errors.map((e) => e.code)).to.deep.equal(['ERR_TIMEOUT']);
    expect(record.ended).to.deep.equal(['timeout']);
  });

  it('setup watchdog (no connectionTimeout): a hung setup (nothing arriving) ends as "failed" (rebuilt), with no error', async () => {
    const { record } = liveness({ setupWatchdog: 40 });
    record.transport = 'connecting';
    await until(() => record.ended.length > 0, 'the watchdog');
    expect(record.ended).to.deep.equal(['failed']);
    expect(record.errors).to.deep.equal([]);
  });

  it('setup watchdog: a setup whose transport is connected (only channel 0 missing) gets two more periods, then is rebuilt', async () => {
    const slow = liveness({ setupWatchdog: 60 });
    slow.record.transport = 'connected';
    await wait(150); // two periods and a half: still waiting
    expect(slow.record.ended).to.deep.equal([]);
    await until(() => slow.record.ended.length > 0, 'the third period');
    expect(slow.record.ended).to.deep.equal(['failed']);
    const opens = liveness({ setupWatchdog: 60 });
    opens.record.transport = 'connected';
    await wait(90);
    opens.record.inbandOpened = true;
    opens.l.start(); // channel 0 opens during the extension
    await wait(200);
    expect(opens.record.ended).to.deep.equal([]);
    expect(opens.l.state).to.equal('connected');
    opens.l.dispose();
  });

  it('setup watchdog: a connecting setup whose remote ICE checks keep arriving gets two more periods; one that goes quiet is rebuilt', async () => {
    const busy = liveness({ setupWatchdog: 60 });
    busy.record.transport = 'connecting';
    const checks = setInterval(() => (busy.record.bytes += 100), 10);
    await wait(150);
    expect(busy.record.ended, 'still waiting').to.deep.equal([]);
    await until(() => busy.record.ended.length > 0, 'the third period');
    clearInterval(checks);
    expect(busy.record.ended).to.deep.equal(['failed']);
    const quiet = liveness({ setupWatchdog: 60 });
    quiet.record.transport = 'connecting';
    quiet.record.bytes = 500; // checks came early on ...
    await wait(90); // ... first period: progress since the start, extended
    expect(quiet.record.ended).to.deep.equal([]);
    await until(() => quiet.record.ended.length > 0, 'the second period without progress');
    expect(quiet.record.ended).to.deep.equal(['failed']);
  });

  it('setup watchdog: connecting in time cancels it; dispose cancels every timer', async () => {
    const connected = liveness({ connectionTimeout: 40 });
    connected.l.start();
    const disposed = liveness({ connectionTimeout: 40 });
    disposed.l.dispose();
    await wait(120);
    expect(connected.record.ended).to.deep.equal([]);
    expect(disposed.record.ended).to.deep.equal([]);
    connected.l.dispose();
  });

  it('disconnected: the impolite side restarts ICE if the transport is still down after the grace time; the polite side never', async () => {
    const impolite = liveness();
    const polite = liveness({ polite: true });
    for (const { l, record } of [impolite, polite]) {
      l.start();
      record.transport = 'disconnected';
      l.transport('disconnected');
      expect(l.state).to.equal('disconnected');
    }
    await until(() => impolite.record.restarts === 1, 'the ICE restart', 5000);
    expect(polite.record.restarts).to.equal(0);
    impolite.l.dispose();
    polite.l.dispose();
  });

  it('a transport that recovers within the grace time is not restarted', async () => {
    const { l, record } = liveness();
    record.inbandOpened = true;
    l.start();
    record.transport = 'disconnected';
    l.transport('disconnected');
    record.transport = 'connected';
    l.transport('connected');
    expect(l.state).to.equal('connected');
    await wait(1300);
    expect(record.restarts).to.equal(0);
    expect(record.states).to.deep.equal(['connected', 'disconnected', 'connected']);
    l.dispose();
  });
});
