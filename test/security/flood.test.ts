/**
 * A flood of announces (docs/SECURITY.md, "Floods"): 5,000 announces from
 * 2,500 ids, injected by the broker. Setups stay within maxPendingConnections
 * (live RTCPeerConnections in the page are counted), and real newcomers still
 * connect right after the flood. The time it took is printed, not asserted.
 */
import { expect } from '@open-wc/testing';
import { Peer } from '../../src/index.js';
import { until } from '../engine/helpers.js';
import { HostileBroker, KIND, rawIdentity, roomKeys, roomNs, seal } from './raw.js';

const IDS = 2500;
const PER_ID = 2;
const MAX_PENDING = 32;

describe('security: announce flood', () => {
  const Original = globalThis.RTCPeerConnection;
  let live = 0;
  let peak = 0;

  before(() => {
    // Count live connections in this page: every Peer here builds on the global constructor.
    class Counted extends Original {
      #open = true;
      constructor(config?: RTCConfiguration) {
        super(config);
        peak = Math.max(peak, ++live);
      }
      override close(): void {
        if (this.#open) live--;
        this.#open = false;
        super.close();
      }
    }
    globalThis.RTCPeerConnection = Counted;
  });
  after(() => {
    globalThis.RTCPeerConnection = Original;
  });

  it(`${IDS * PER_ID} announces stay within ${MAX_PENDING} setups, and newcomers connect after the flood`, async function () {
    this.timeout(180000);
    const broker = new HostileBroker();
    const r = `flood-${Math.random().toString(36).slice(2)}`;
    const ns = await roomNs(r);
    const victim = new Peer({ driver: broker, secret: 's', maxPendingConnections: MAX_PENDING });
    const limitErrors = { count: 0 };
    victim.on('error', ({ error }) => error.code === 'ERR_LIMIT' && limitErrors.count++);
    let victimPeak = 0;
    victim.on('connection:new', () => (victimPeak = Math.max(victimPeak, victim.connections.size)));
    await victim.join({ room: r });

    const { roomKey } = await roomKeys(r, 's');
    const started = performance.now();
    const ids = await Promise.all(Array.from({ length: IDS }, () => rawIdentity()));
    const announces = await Promise.all(
      ids.flatMap((id) => Array.from({ length: PER_ID }, () => seal({ kind: KIND.Announce, body: new Uint8Array(0), sender: id, key: roomKey, ns }))),
    );
    const built = performance.now();
    peak = live; // only what the flood makes from here on
    for (let i = 0; i < announces.length; i++) {
      broker.inject([ns], announces[i]!);
      if (i % 200 === 199) await new Promise((res) => setTimeout(res, 0));
    }
    // The flood ends when the attacker stops sending; the victim may still be working through it.
    const floodEnd = performance.now();
    const peakBeforeNewcomers = peak;
    const newcomers = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
    await Promise.all(newcomers.map((n) => n.join({ room: r })));
    await until(() => newcomers.every((n) => victim.connections.get(n.id)?.state === 'connected'), 'newcomers connected to the victim', 60000);
    const connectedAfter = performance.now() - floodEnd;
    const peakDuringFlood = peak;
    console.log(
      `flood: ${announces.length} announces from ${IDS} ids built in ${Math.round(built - started)} ms, sent in ${Math.round(floodEnd - built)} ms; ` +
        `peak live RTCPeerConnections ${peakBeforeNewcomers} before newcomers (limit ${MAX_PENDING}), ${peakDuringFlood} after; victim's connections at most ${victimPeak}; ERR_LIMIT events ${limitErrors.count}; ` +
        `newcomers connected ${Math.round(connectedAfter)} ms after the flood (target 3000 ms)`,
    );
    expect(peakBeforeNewcomers).to.be.at.most(MAX_PENDING);
    // Later: the victim's setups, its connections to the newcomers (connected ones free their
    // slot), and the newcomers' own two connections each.
    expect(peakDuringFlood).to.be.at.most(MAX_PENDING + 3 * newcomers.length);
    // Setups in progress stay within the bound; connected newcomers no longer hold a slot.
    expect(victimPeak).to.be.at.most(MAX_PENDING + newcomers.length);
    expect(limitErrors.count).to.be.greaterThan(0);
    await Promise.all([victim.leave(), ...newcomers.map((n) => n.leave())]);
  });

  it('one sender id starts at most 4 setups per 10 s, however it varies its session', async function () {
    this.timeout(30000);
    const broker = new HostileBroker();
    const r = `rate-${Math.random().toString(36).slice(2)}`;
    const ns = await roomNs(r);
    const victim = new Peer({ driver: broker, secret: 's' });
    const tooOften: string[] = [];
    victim.on('error', ({ error }) => error.code === 'ERR_LIMIT' && /too often/.test(error.message) && tooOften.push(error.peerId!));
    let setups = 0;
    await victim.join({ room: r });
    const { roomKey } = await roomKeys(r, 's');
    const attacker = await rawIdentity();
    victim.on('connection:new', ({ remote }) => remote.id === attacker.id && setups++);
    const announces = 20;
    for (let i = 0; i < announces; i++) {
      const sender = { ...attacker, session: crypto.getRandomValues(new Uint8Array(8)) };
      broker.inject([ns], await seal({ kind: KIND.Announce, body: new Uint8Array(0), sender, key: roomKey, ns }));
      await new Promise((res) => setTimeout(res, 30));
    }
    await until(() => tooOften.length >= announces - 4, `${announces - 4} announces refused as too often`);
    await new Promise((res) => setTimeout(res, 300));
    console.log(`per-sender rate: ${announces} announces from one id (a new session each) → ${setups} setups, ${tooOften.length} ERR_LIMIT "too often"`);
    expect(setups).to.be.at.most(4);
    expect(tooOften.length).to.be.at.least(announces - 4);
    expect(tooOften.every((id) => id === attacker.id)).to.equal(true);
    await victim.leave();
  });
});
