/**
 * Attacks through the broker (docs/SECURITY.md): an outsider who knows the
 * room name, a member who forges another member's goodbye or metadata, and a
 * broker that replays an earlier session. The attacker's envelopes are built
 * from docs/PROTOCOL.md by ./raw.ts, not by Peerix.
 */
import { expect } from '@open-wc/testing';
import { Peer, type DriverMessage, type PeerixError } from '../../src/index.js';
import { until } from '../engine/helpers.js';
import { HostileBroker, KIND, Proto, headerOf, offerBody, pairKey, rawIdentity, rawOffer, roomKeys, roomNs, seal, fromB64url } from './raw.js';

const room = () => `sec-${Math.random().toString(36).slice(2)}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorsOf(peer: Peer): PeerixError[] {
  const errors: PeerixError[] = [];
  peer.on('error', ({ error }) => errors.push(error));
  return errors;
}

/** The session of `peer` as the broker saw it in its announce. */
function sessionOf(broker: HostileBroker, ns: string, peer: Peer): Uint8Array {
  const announce = broker.sentTo([ns]).map(headerOf).filter((h) => h.id === peer.id && h.kind === KIND.Announce).at(-1);
  if (!announce) throw new Error('no announce seen');
  return announce.session;
}

describe('security: broker-level attacks', () => {
  it('an outsider who knows the room name but not the secret gets no answer; with the secret the same offer is answered', async () => {
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const victim = new Peer({ driver: broker, secret: 'correct horse' });
    const errors = errorsOf(victim);
    await victim.join({ room: r });
    await until(() => broker.sentTo([ns]).length > 0, 'the announce');
    const victimSession = sessionOf(broker, ns, victim);

    const attempt = async (secret: string) => {
      const outsider = await rawIdentity();
      const { pc, sdp } = await rawOffer();
      const key = await pairKey(outsider, victim.id, victimSession, (await roomKeys(r, secret)).pairSalt);
      broker.inject([ns, victim.id], await seal({ kind: KIND.Offer, body: offerBody(sdp, '{"name":"Eve"}'), sender: outsider, key, recipient: victim.id, ns }));
      await pause(1500);
      pc.close();
      return { outsider, answers: broker.sentTo([ns, outsider.id]).length };
    };

    const outsider = await attempt('');
    expect(outsider.answers, 'answers to the outsider').to.equal(0);
    expect(victim.connections.has(outsider.outsider.id)).to.equal(false);
    expect(errors.some((e) => e.code === 'ERR_AUTH' && e.peerId === outsider.outsider.id)).to.equal(true);
    // The harness is right: a member who has the secret, same bytes otherwise, is answered.
    const member = await attempt('correct horse');
    expect(member.answers, 'answers to a member').to.equal(1);
    await victim.leave();
  });

  it('a forged goodbye (broadcast, or addressed without the pair key) leaves the call up', async () => {
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const [a, b] = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
    const errors = errorsOf(b);
    await a.join({ room: r });
    await b.join({ room: r });
    await until(() => b.connections.get(a.id)?.state === 'connected' && a.connections.get(b.id)?.state === 'connected', 'connected');
    const remote = b.connections.get(a.id)!;
    const aAsSender = { publicKey: fromB64url(a.id), session: sessionOf(broker, ns, a) };
    const member = await rawIdentity(); // knows the secret, not a's private key
    const { roomKey, pairSalt } = await roomKeys(r, 's');
    broker.inject([ns], await seal({ kind: KIND.Bye, body: new Uint8Array(0), sender: aAsSender, key: roomKey, ns }));
    const guess = await pairKey(member, b.id, sessionOf(broker, ns, b), pairSalt);
    broker.inject([ns, b.id], await seal({ kind: KIND.Bye, body: new Uint8Array(0), sender: aAsSender, key: guess, recipient: b.id, ns }));
    await pause(800);
    expect(b.connections.get(a.id)).to.equal(remote);
    expect(remote.state).to.equal('connected');
    expect(errors.filter((e) => e.peerId === a.id).map((e) => e.code)).to.include.members(['ERR_UNEXPECTED', 'ERR_AUTH']);
    await Promise.all([a.leave(), b.leave()]);
  });

  it('forged metadata (in an announce, or in an offer sealed in another member\'s name) never reaches verify() or remote.metadata', async () => {
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const seen: unknown[] = [];
    const a = new Peer({ driver: broker, secret: 's', verify: ({ metadata }) => (seen.push(metadata.name), true) });
    const b = new Peer({ driver: broker, secret: 's' });
    await Promise.all([a.ready, b.ready]);
    const errors = errorsOf(a);
    await a.join({ room: r, metadata: { name: 'Ana' } });
    await until(() => broker.sentTo([ns]).length > 0, 'the announce');
    const { roomKey } = await roomKeys(r, 's');
    const bForged = { publicKey: fromB64url(b.id), session: crypto.getRandomValues(new Uint8Array(8)) };
    // A v1-style announce with metadata (field 1) in b's name, before b arrives.
    const forged = new TextEncoder().encode('{"name":"Boss"}');
    broker.inject([ns], await seal({ kind: KIND.Announce, body: Uint8Array.of(0x0a, forged.length, ...forged), sender: bForged, key: roomKey, ns }));
    // A member (it has the secret, not b's private key) seals an offer in b's name with metadata.
    const member = await rawIdentity();
    const { pc, sdp } = await rawOffer();
    const aSession = sessionOf(broker, ns, a);
    const key = await pairKey(member, a.id, aSession, (await roomKeys(r, 's')).pairSalt);
    broker.inject([ns, a.id], await seal({ kind: KIND.Offer, body: offerBody(sdp, '{"name":"Boss"}'), sender: bForged, key, recipient: a.id, ns }));
    await until(() => errors.some((e) => e.code === 'ERR_AUTH' && e.peerId === b.id), 'the forged offer refused');
    pc.close();
    // (The forged announce made a offer to b's id: only b's owner can answer that.)
    expect(broker.sentTo([ns, b.id]).filter((m) => headerOf(m).kind === KIND.Answer).length, 'answers to the forged offer').to.equal(0);
    expect(a.connections.get(b.id)?.state, 'a connection from the forged offer').to.not.equal('connected');
    expect(a.connections.get(b.id)?.metadata ?? {}).to.deep.equal({});
    await b.join({ room: r, metadata: { name: 'Bob' } });
    await until(() => a.connections.get(b.id)?.state === 'connected', 'a connected to the real b');
    expect(a.connections.get(b.id)!.metadata).to.deep.equal({ name: 'Bob' });
    expect(seen).to.not.include('Boss');
    expect(seen).to.include('Bob');
    expect(b.connections.get(a.id)!.metadata).to.deep.equal({ name: 'Ana' });
    await Promise.all([a.leave(), b.leave()]);
  });

  it('nothing from an earlier session verifies in a later one: replayed answer and goodbye leave the new call up', async function () {
    this.timeout(40000);
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const victim = new Peer({ driver: broker });
    const other = new Peer({ driver: broker });
    await Promise.all([victim.ready, other.ready]);
    // Session 1: the broker withholds the other's answer, so its setup hangs; it then leaves
    // and says goodbye through the broker (a pair-sealed Bye to the victim).
    broker.withhold = (key, message) => key.endsWith(victim.id) && headerOf(message).kind === KIND.Answer;
    await victim.join({ room: r });
    await other.join({ room: r });
    await until(() => broker.sentTo([ns, victim.id]).some((m) => headerOf(m).kind === KIND.Answer), 'the withheld answer');
    await other.leave();
    await until(() => broker.sentTo([ns, victim.id]).some((m) => headerOf(m).kind === KIND.Bye), 'the goodbye');
    const recorded = broker.sentTo([ns, victim.id]);
    broker.withhold = () => false;
    await victim.leave();

    // Session 2: same identities, a healthy call.
    const errors = errorsOf(victim);
    await victim.join({ room: r });
    await other.join({ room: r });
    await until(() => victim.connections.get(other.id)?.state === 'connected', 'the new call');
    const remote = victim.connections.get(other.id)!;
    let closed = 0;
    remote.on('connection:closed', () => closed++);
    for (const message of recorded) broker.inject([ns, victim.id], message);
    await pause(1000);
    expect(closed).to.equal(0);
    expect(victim.connections.get(other.id)).to.equal(remote);
    expect(remote.state).to.equal('connected');
    const codes = errors.filter((e) => e.peerId === other.id).map((e) => e.code);
    expect(codes.length).to.be.at.least(recorded.length);
    for (const code of codes) expect(['ERR_AUTH', 'ERR_REPLAY']).to.include(code);
    await Promise.all([victim.leave(), other.leave()]);
  });

  it('replay memory is kept per identity: a broadcast seen before a leave() is refused after the next join()', async function () {
    this.timeout(30000);
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const victim = new Peer({ driver: broker, secret: 's' });
    const other = new Peer({ driver: broker, secret: 's' });
    await victim.join({ room: r });
    await other.join({ room: r });
    await until(() => victim.connections.get(other.id)?.state === 'connected', 'connected');
    // The other's announce (room key, no pair key) reached the victim in its first session.
    const announce = broker.sentTo([ns]).find((m) => headerOf(m).id === other.id && headerOf(m).kind === KIND.Announce)!;
    await victim.leave();
    // (The other must have closed the old call: an announce never displaces a working one.)
    await until(() => !other.connections.has(victim.id), 'the other saw the goodbye');
    await victim.join({ room: r });
    await until(() => victim.connections.get(other.id)?.state === 'connected', 'connected again');
    const errors = errorsOf(victim);
    broker.inject([ns], announce);
    await until(() => errors.some((e) => e.peerId === other.id), 'an error naming the sender');
    expect(errors.filter((e) => e.peerId === other.id).map((e) => e.code)).to.deep.equal(['ERR_REPLAY']);
    expect(victim.connections.get(other.id)!.state).to.equal('connected');
    await Promise.all([victim.leave(), other.leave()]);
  });

  it('a peer that leaves and joins again at once is called again by the peer that stayed (its announce may beat its goodbye)', async function () {
    this.timeout(30000);
    const broker = new HostileBroker();
    const r = room();
    const [stays, rejoins] = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
    await stays.join({ room: r });
    await rejoins.join({ room: r });
    await until(() => rejoins.connections.get(stays.id)?.state === 'connected', 'connected');
    const old = stays.connections.get(rejoins.id)!;
    await rejoins.leave();
    await rejoins.join({ room: r });
    await until(() => rejoins.connections.get(stays.id)?.state === 'connected' && stays.connections.get(rejoins.id)?.state === 'connected', 'connected in the new session');
    expect(stays.connections.get(rejoins.id)).to.not.equal(old);
    await Promise.all([stays.leave(), rejoins.leave()]);
  });

  it('an announce of a new session in a connected peer\'s name (any member can seal one) leaves the call up', async function () {
    this.timeout(20000);
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const [a, b] = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
    await a.join({ room: r });
    await b.join({ room: r });
    await until(() => b.connections.get(a.id)?.state === 'connected' && a.connections.get(b.id)?.state === 'connected', 'connected');
    const remote = b.connections.get(a.id)!;
    const { roomKey } = await roomKeys(r, 's');
    const aForged = { publicKey: fromB64url(a.id), session: crypto.getRandomValues(new Uint8Array(8)) };
    broker.inject([ns], await seal({ kind: KIND.Announce, body: new Uint8Array(0), sender: aForged, key: roomKey, ns }));
    await pause(800);
    expect(b.connections.get(a.id)).to.equal(remote);
    expect(remote.state).to.equal('connected');
    await Promise.all([a.leave(), b.leave()]);
  });

  it('a silent peer (no heartbeats) whose ICE checks still arrive is kept, and an announce of its own session does not replace the call', async function () {
    this.timeout(40000);
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    // No pings either way after the setup, no media, no data: only the browsers' own ICE
    // checks (every 2.5 s in Chromium) show that the other side lives, as for a starved page.
    const a = new Peer({ driver: broker, secret: 's', heartbeatInterval: 60_000 });
    const b = new Peer({ driver: broker, secret: 's', heartbeatInterval: 60_000 });
    const closed: string[] = [];
    b.on('connection:closed', ({ remote }) => closed.push(remote.id));
    await a.join({ room: r });
    await b.join({ room: r });
    await until(() => b.connections.get(a.id)?.state === 'connected' && a.connections.get(b.id)?.state === 'connected', 'connected');
    const remote = b.connections.get(a.id)!;
    await pause(14000); // three and a half heartbeat timeouts (4 s) of silence
    expect(closed, 'kept while its ICE checks arrive').to.deep.equal([]);
    expect(remote.state).to.equal('connected');
    // A rebuild announce in a's session (a member may seal it; or a's own, for another pair).
    const { roomKey } = await roomKeys(r, 's');
    const aSame = { publicKey: fromB64url(a.id), session: sessionOf(broker, ns, a) };
    broker.inject([ns], await seal({ kind: KIND.Announce, body: new Uint8Array(0), sender: aSame, key: roomKey, ns }));
    await pause(800);
    expect(b.connections.get(a.id)).to.equal(remote);
    expect(remote.state).to.equal('connected');
    expect(closed).to.deep.equal([]);
    await Promise.all([a.leave(), b.leave()]);
  });

  it('a peer on the old protocol version gets a clear ERR_VERSION naming it', async () => {
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const victim = new Peer({ driver: broker });
    const errors = errorsOf(victim);
    await victim.join({ room: r });
    const old = await rawIdentity();
    const { roomKey } = await roomKeys(r, '');
    broker.inject([ns], await seal({ kind: KIND.Announce, body: new Uint8Array(0), sender: old, key: roomKey, ns, version: 1 }));
    await until(() => errors.some((e) => e.code === 'ERR_VERSION'), 'ERR_VERSION');
    const error = errors.find((e) => e.code === 'ERR_VERSION')!;
    expect(error.peerId).to.equal(old.id);
    expect(error.message).to.match(/v1.*v2/);
    await victim.leave();
  });

  it('a late answer of a setup that ended is dropped quietly; one from a session never set up is still an error', async () => {
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const [a, b] = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
    const errors = errorsOf(a);
    await a.join({ room: r });
    // The earlier announcer (a) offers; the broker holds b's answer back.
    let held: ReturnType<HostileBroker['sentTo']>[number] | undefined;
    broker.withhold = (_key, message) => {
      if (held || headerOf(message).kind !== KIND.Answer) return false;
      held = message.slice();
      return true;
    };
    await b.join({ room: r });
    await until(() => held !== undefined && a.connections.has(b.id), "b's answer held, a's setup waiting");
    expect(headerOf(held!).id).to.equal(b.id);
    await b.leave(); // its goodbye ends a's setup
    await until(() => !a.connections.has(b.id), "a's setup ended by b's goodbye");
    // A member's goodbye sealed for a, from a session a never had a setup with: reported.
    const member = await rawIdentity();
    const key = await pairKey(member, a.id, sessionOf(broker, ns, a), (await roomKeys(r, 's')).pairSalt);
    const unknown = await seal({ kind: KIND.Bye, body: new Uint8Array(0), sender: member, key, recipient: a.id, ns });
    broker.inject([ns, a.id], held!);
    broker.inject([ns, a.id], unknown);
    // Once the later message's error is in, the held answer (delivered first) has been handled too.
    await until(() => errors.some((e) => e.peerId === member.id && e.code === 'ERR_UNEXPECTED'), 'ERR_UNEXPECTED for the unknown setup');
    expect(errors.filter((e) => e.peerId === b.id).map((e) => `${e.code}: ${e.message}`), 'errors about b').to.deep.equal([]);
    await a.leave();
  });

  it('an offer a broker held back until the pair rebuilt its call is dropped quietly: the rebuilt call stays up', async function () {
    this.timeout(40000);
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    const [x, y] = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
    // Both join unseen (announces held); then a broker reconnect makes both announce at once,
    // so one offers and the other waits for that offer. The broker holds the first offer back:
    // the waiting side offers when its wait ends, and the call forms on that offer.
    let announces = false;
    let held: DriverMessage | undefined;
    broker.withhold = (_key, message) => {
      const kind = headerOf(message).kind;
      if (kind === KIND.Announce) return !announces;
      if (held || kind !== KIND.Offer) return false;
      held = message.slice();
      return true;
    };
    await x.join({ room: r });
    await y.join({ room: r });
    announces = true;
    broker.active = false;
    broker.active = true;
    const connected = () => x.connections.get(y.id)?.state === 'connected' && y.connections.get(x.id)?.state === 'connected';
    await until(() => held !== undefined && connected(), 'connected without the held offer');
    const offerer = headerOf(held!).id === x.id ? x : y;
    const receiver = offerer === x ? y : x;
    const before = receiver.connections.get(offerer.id)!;
    // The path breaks (one side's connection is closed): both rebuild through the broker, in the same sessions.
    before.connection.close();
    await until(() => connected() && receiver.connections.get(offerer.id) !== before, 'the rebuilt call');
    const rebuilt = receiver.connections.get(offerer.id)!;
    const errors = [...errorsOf(receiver), ...errorsOf(offerer)];
    let closed = 0;
    rebuilt.on('connection:closed', () => closed++);
    // Now the broker lets the first connection's offer through: authentic, same session, another connection.
    broker.inject([ns, receiver.id], held!);
    // (Applied to the rebuilt connection, it would restart ICE towards a connection closed long ago: `connecting`, then closed.)
    await pause(2000);
    expect(rebuilt.connection.connectionState, 'the transport after the late offer').to.equal('connected');
    await pause(4000);
    expect(errors.map((e) => `${e.code}: ${e.message}`), 'errors at either side').to.deep.equal([]);
    expect(receiver.connections.get(offerer.id), 'the rebuilt connection').to.equal(rebuilt);
    expect([rebuilt.state, rebuilt.connection.connectionState, closed]).to.deep.equal(['connected', 'connected', 0]);
    // And it still carries data both ways.
    const heard: string[] = [];
    let open = false;
    receiver.on('channel:message', ({ data }) => heard.push(String(data)));
    offerer.on('channel:open', ({ label }) => (open ||= label === 'after'));
    offerer.open({ label: 'after' });
    await until(() => open, "the channel opened after the late offer");
    await offerer.send('still here', { label: 'after' });
    await until(() => heard.includes('still here'), 'a message over the rebuilt call');
    await Promise.all([x.leave(), y.leave()]);
  });

  for (const lost of [KIND.Offer, KIND.Answer]) {
    it(`a broker that loses the first ${lost === KIND.Offer ? 'offer' : 'answer'}: the offer is sent again, and the pair connects`, async function () {
      this.timeout(30000);
      const broker = new HostileBroker();
      const r = room();
      const [a, b] = [new Peer({ driver: broker, secret: 's' }), new Peer({ driver: broker, secret: 's' })];
      let dropped = 0;
      broker.withhold = (_key, message) => headerOf(message).kind === lost && dropped++ === 0;
      const errors = [...errorsOf(a), ...errorsOf(b)];
      await a.join({ room: r });
      await b.join({ room: r }); // joining in turn: a offers once, b waits for it
      await until(() => a.connections.get(b.id)?.state === 'connected' && b.connections.get(a.id)?.state === 'connected', 'connected');
      const kinds = broker.log.map((e) => headerOf(e.message).kind);
      expect(dropped, 'messages lost').to.be.at.least(1);
      expect(kinds.filter((k) => k === KIND.Offer).length, 'offers (one sent again)').to.be.at.least(2);
      expect(errors.map((e) => `${e.code}: ${e.message}`), 'errors').to.deep.equal([]);
      await Promise.all([a.leave(), b.leave()]);
    });
  }

  it('candidates that come while their offer waits for verify() are kept and applied once the connection exists', async () => {
    const broker = new HostileBroker();
    const r = room();
    const ns = await roomNs(r);
    let verified = 0;
    const victim = new Peer({ driver: broker, secret: 's', verify: async () => (await pause(800), ++verified > 0) });
    const errors = errorsOf(victim);
    await victim.join({ room: r });
    const member = await rawIdentity();
    const key = await pairKey(member, victim.id, sessionOf(broker, ns, victim), (await roomKeys(r, 's')).pairSalt);
    const { pc, sdp } = await rawOffer();
    // A CompactCandidate (docs/PROTOCOL.md): foundation 7, priority, IPv4 address bytes, port.
    const candidate = new Proto().uint(1, 7).uint(5, 2122260223).bytesField(6, [10, 9, 8, 7]).uint(8, 4242).finish();
    broker.inject([ns, victim.id], await seal({ kind: KIND.Offer, body: offerBody(sdp, '{}'), sender: member, key, recipient: victim.id, ns }));
    broker.inject([ns, victim.id], await seal({ kind: KIND.Candidates, body: new Proto().bytesField(1, candidate).finish(), sender: member, key, recipient: victim.id, ns }));
    await pause(100);
    expect(verified, 'verify() still running when the candidates came').to.equal(0);
    await until(() => victim.connections.get(member.id)?.connection.remoteDescription?.sdp.includes('10.9.8.7 4242') === true, 'the early candidate in the remote description');
    expect(errors.map((e) => `${e.code}: ${e.message}`)).to.deep.equal([]);
    pc.close();
    await victim.leave();
  });
});

