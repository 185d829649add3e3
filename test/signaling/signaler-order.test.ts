// The Signaler seals and opens messages concurrently (compression and encryption are
// async, and slower for big messages), yet hands them to the driver, and to the
// receiver, in order: an offer must not arrive after the candidates that follow it.
import { expect } from '@open-wc/testing';
import { MemoryDriver } from '../../src/drivers/memory.js';
import type { DriverMessage } from '../../src/drivers/driver.js';
import { createIdentity } from '../../src/signaling/crypto.js';
import type { OpenedEnvelope } from '../../src/signaling/envelope.js';
import { fullTextDescription, type CompactCandidate, type SignalMessage } from '../../src/signaling/messages.js';
import { ReplayCache } from '../../src/signaling/replay.js';
import { Signaler } from '../../src/signaling/signaler.js';
import { until } from '../unit/wait.js';

/** A MemoryDriver that can hold what is published and let it go in one burst. */
class HoldingDriver extends MemoryDriver {
  held: Array<[string[], DriverMessage | Uint8Array]> = [];
  holding = false;
  override publish(namespace: string[], message: DriverMessage | Uint8Array): void {
    if (this.holding) this.held.push([namespace, message]);
    else super.publish(namespace, message);
  }
  release(): void {
    this.holding = false;
    for (const [namespace, message] of this.held.splice(0)) super.publish(namespace, message);
  }
}

// A full-text offer of about 6 KB: compressed, so it takes longest to seal and to open.
const sdpLines = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0'];
for (let i = 0; i < 60; i++) sdpLines.push(`a=candidate:${i} 1 udp 2122260223 10.0.${i}.1 ${50000 + i} typ host generation 0 network-id ${i}`);
const offer: SignalMessage = { kind: 'BrokerOffer', description: fullTextDescription('offer', sdpLines.join('\r\n') + '\r\n') };
const candidate = (port: number): CompactCandidate => ({ foundation: '1', component: 1, protocol: 'udp', priority: 1, address: '10.1.2.3', port, type: 'host' });

async function pair(driver: MemoryDriver) {
  const [alice, bob] = await Promise.all([createIdentity(), createIdentity()]);
  const received: OpenedEnvelope[] = [];
  const errors: unknown[] = [];
  const options = { driver, room: 'order', secret: '', secretIterations: 0, hashing: true, encryption: true, compression: true, onError: (e: unknown) => errors.push(e) };
  const sender = new Signaler({ ...options, identity: alice, replay: new ReplayCache(), onMessage: () => {} });
  const receiver = new Signaler({ ...options, identity: bob, replay: new ReplayCache(), onMessage: (m) => received.push(m) });
  await Promise.all([sender.start(), receiver.start()]);
  return { sender, receiver, bob, received, errors };
}

describe('Signaler ordering', () => {
  it('publishes in the order sent: a big compressed offer leaves before the small candidates sent right after it', async () => {
    const driver = new HoldingDriver();
    const { sender, receiver, bob, received, errors } = await pair(driver);
    driver.holding = true;
    const sends = [sender.sendTo(bob.id, receiver.session, offer)];
    for (let i = 0; i < 5; i++) sends.push(sender.sendTo(bob.id, receiver.session, { kind: 'BrokerCandidates', candidates: [candidate(40000 + i)] }));
    await Promise.all(sends);
    const sizes = driver.held.map(([, m]) => (m instanceof Uint8Array ? m.length : JSON.stringify(m).length));
    expect(sizes.length).to.equal(6);
    expect(sizes[0], `the offer first (sizes ${sizes.join(', ')})`).to.be.greaterThan(Math.max(...sizes.slice(1)));
    driver.release();
    await until(() => received.length === 6, 'all six delivered');
    expect(errors).to.deep.equal([]);
    await Promise.all([sender.stop(), receiver.stop()]);
  });

  it('delivers in the order received: messages that arrive together are opened at once but handed over in order', async () => {
    const driver = new HoldingDriver();
    const { sender, receiver, bob, received, errors } = await pair(driver);
    driver.holding = true;
    await sender.sendTo(bob.id, receiver.session, offer);
    for (let i = 0; i < 5; i++) await sender.sendTo(bob.id, receiver.session, { kind: 'BrokerCandidates', candidates: [candidate(40000 + i)] });
    driver.release(); // all six reach the receiver in one burst, the offer first
    await until(() => received.length === 6, 'all six delivered');
    expect(received.map((m) => m.message.kind)).to.deep.equal(['BrokerOffer', ...Array(5).fill('BrokerCandidates')]);
    expect(received.slice(1).map((m) => m.message.kind === 'BrokerCandidates' && m.message.candidates[0]!.port)).to.deep.equal([40000, 40001, 40002, 40003, 40004]);
    expect(errors).to.deep.equal([]);
    await Promise.all([sender.stop(), receiver.stop()]);
  });
});
