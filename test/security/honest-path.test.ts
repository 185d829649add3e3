/**
 * The honest path keeps its figures with protocol v2 (issue #10): two peers
 * with a room secret and metadata, joining in turn over a broker with
 * latency, connect with 4 broker messages and at most 600 bytes, counted at
 * the driver, in Chromium and Firefox alike. The figures are printed.
 */
import { expect } from '@open-wc/testing';
import { MemoryDriver, Peer, type DriverMessage } from '../../src/index.js';
import { until } from '../engine/helpers.js';
import { headerOf } from './raw.js';

const KIND_NAMES: Record<number, string> = { 1: 'Announce', 2: 'BrokerOffer', 3: 'BrokerAnswer', 4: 'BrokerCandidates', 5: 'BrokerLeave' };

/** Counts what is published, and delivers it 80 ms later (channel 0 opens after the candidate debounce, as on a real network). */
class SlowCountingDriver extends MemoryDriver {
  readonly sent: { kind: string; bytes: number }[] = [];
  override publish(namespace: string[], message: DriverMessage): void {
    this.sent.push({ kind: KIND_NAMES[headerOf(message).kind] ?? String(headerOf(message).kind), bytes: message.length });
    setTimeout(() => MemoryDriver.prototype.publish.call(this, namespace, message), 80);
  }
}

describe('security: the honest path keeps its figures', () => {
  it('two peers with a secret, joining in turn: 4 broker messages, at most 600 bytes', async function () {
    this.timeout(30000);
    const driver = new SlowCountingDriver();
    const options = { driver, secret: 'correct horse battery staple' };
    const [a, b] = [new Peer(options), new Peer(options)];
    const room = `honest-${Math.random().toString(36).slice(2)}`;
    await a.join({ room, metadata: { name: 'Ana' } });
    await new Promise((r) => setTimeout(r, 200));
    await b.join({ room, metadata: { name: 'Bob' } });
    await until(() => a.connections.get(b.id)?.state === 'connected' && b.connections.get(a.id)?.state === 'connected', 'connected');
    await new Promise((r) => setTimeout(r, 500)); // late candidates, if any
    const bytes = driver.sent.reduce((sum, m) => sum + m.bytes, 0);
    console.log(`honest path (secret, metadata, join in turn): ${driver.sent.length} broker messages, ${bytes} bytes: ${driver.sent.map((m) => `${m.kind} ${m.bytes}`).join(', ')}`);
    expect(driver.sent.map((m) => m.kind)).to.deep.equal(['Announce', 'Announce', 'BrokerOffer', 'BrokerAnswer']);
    // Chromium's ICE credentials are 4 + 24 ice-chars; Firefox's are 8 + 32 lowercase hex
    // digits, which travel as their 4 + 16 bytes (fields 14 and 15), so both stay in budget.
    expect(bytes).to.be.at.most(600);
    expect(a.connections.get(b.id)!.metadata).to.deep.equal({ name: 'Bob' });
    expect(b.connections.get(a.id)!.metadata).to.deep.equal({ name: 'Ana' });
    await Promise.all([a.leave(), b.leave()]);
  });
});
