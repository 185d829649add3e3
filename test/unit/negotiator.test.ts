// The negotiator (src/remote/negotiator.ts) against a small scripted
// RTCPeerConnection: the unit under test is the perfect-negotiation state
// machine (who offers, who rolls back, who ignores), not WebRTC itself, which
// the engine suites exercise in real browsers.
import { expect } from '@open-wc/testing';
import { PeerixError } from '../../src/errors.js';
import { Negotiator, type NegotiatingConnection, type OfferRequest } from '../../src/remote/negotiator.js';
import { until, wait } from './wait.js';


interface FakeTransceiver {
  mid: string | null;
  kind: 'audio' | 'video';
  direction: RTCRtpTransceiverDirection;
  currentDirection: RTCRtpTransceiverDirection | null;
  sender: { track: { kind: string } | null };
  receiver: { track: { kind: string } };
}

/** The signaling state machine of RTCPeerConnection (JSEP), asynchronous like the real one; `log` records each step. */
class ScriptedConnection {
  signalingState: RTCSignalingState = 'stable';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  transceivers: FakeTransceiver[] = [];
  log: string[] = [];
  #version = 0;
  #mids = 0;

  async setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    await Promise.resolve();
    if (description?.type === 'rollback') {
      if (this.signalingState !== 'have-local-offer') throw new DOMException('nothing to roll back', 'InvalidStateError');
      this.signalingState = 'stable';
      this.log.push('rollback');
      return;
    }
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    if (type === 'offer' && this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer') {
      throw new DOMException(`offer in ${this.signalingState}`, 'InvalidStateError');
    }
    this.signalingState = type === 'answer' ? 'stable' : 'have-local-offer';
    // An offer gives every transceiver its m-line (JSEP); an answer mirrors the offer's.
    if (type === 'offer') for (const t of this.transceivers) t.mid ??= String(++this.#mids);
    this.localDescription = { type, sdp: this.#sdp() };
    this.log.push(`local ${type}`);
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    await Promise.resolve();
    if (description.type === 'offer') {
      if (this.signalingState !== 'stable') throw new DOMException(`remote offer in ${this.signalingState}`, 'InvalidStateError');
      this.signalingState = 'have-remote-offer';
      this.#associate(description.sdp ?? '');
    } else {
      if (this.signalingState !== 'have-local-offer') throw new DOMException(`remote answer in ${this.signalingState}`, 'InvalidStateError');
      this.signalingState = 'stable';
    }
    this.remoteDescription = description;
    this.log.push(`remote ${description.type}`);
  }

  /** JSEP on a remote offer: each new media m-line takes a free local transceiver of its kind, or a new recvonly one. */
  #associate(sdp: string): void {
    const kinds = [...sdp.matchAll(/^m=(audio|video) /gm)].map((m) => m[1] as 'audio' | 'video');
    const taken = this.transceivers.filter((t) => t.mid !== null).length;
    for (const kind of kinds.slice(taken)) {
      const free = this.transceivers.find((t) => t.mid === null && t.kind === kind);
      const t = free ?? this.addTransceiver(kind, { direction: 'recvonly' });
      t.mid = String(++this.#mids);
    }
  }

  getTransceivers(): FakeTransceiver[] {
    return this.transceivers;
  }

  addTransceiver(kind: 'audio' | 'video', init: RTCRtpTransceiverInit = {}): FakeTransceiver {
    const t: FakeTransceiver = { mid: null, kind, direction: init.direction ?? 'sendrecv', currentDirection: null, sender: { track: null }, receiver: { track: { kind } } };
    this.transceivers.push(t);
    return t;
  }

  #sdp(): string {
    const media = this.transceivers.filter((t) => t.mid !== null).map((t) => `m=${t.kind} 9 UDP/TLS/RTP/SAVPF 96`);
    return ['v=0', `o=- 7 ${++this.#version} IN IP4 0.0.0.0`, 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', ...media].join('\r\n') + '\r\n';
  }
}

interface Side {
  pc: ScriptedConnection;
  negotiator: Negotiator;
  errors: PeerixError[];
  requests: OfferRequest[];
  inband: boolean;
  peer: Side | null;
}

function side(peerId: string, polite: boolean, offerer: boolean, maxTransceivers = 4): Side {
  const pc = new ScriptedConnection();
  const s: Side = { pc, negotiator: null!, errors: [], requests: [], inband: false, peer: null };
  s.negotiator = new Negotiator(
    {
      connection: pc as unknown as NegotiatingConnection,
      peerId,
      polite,
      maxTransceivers,
      inband: () => s.inband,
      request: (kinds) => s.requests.push(kinds),
      // Delivered straight to the other side (the signal path's job in the engine).
      sendDescription: async () => {
        const d = pc.localDescription;
        if (d && s.peer) s.peer.negotiator.receive({ type: d.type, sdp: d.sdp! });
      },
      started: () => {},
      applied: async () => {},
      settled: () => {},
      error: (e) => s.errors.push(e),
    },
    offerer,
  );
  return s;
}

function pair(): { polite: Side; impolite: Side } {
  const polite = side('polite', true, true);
  const impolite = side('impolite', false, true);
  polite.peer = impolite;
  impolite.peer = polite;
  return { polite, impolite };
}

const stable = (...sides: Side[]) => sides.every((s) => s.pc.signalingState === 'stable');

describe('negotiator (perfect negotiation)', () => {
  it('one side offers, the other answers: both end stable', async () => {
    const { polite, impolite } = pair();
    impolite.negotiator.negotiationNeeded();
    await until(() => polite.pc.log.length === 2 && stable(polite, impolite), 'one round');
    expect(impolite.pc.log).to.deep.equal(['local offer', 'remote answer']);
    expect(polite.pc.log).to.deep.equal(['remote offer', 'local answer']);
    expect([...polite.errors, ...impolite.errors]).to.deep.equal([]);
  });

  it('glare: both offer at once; the polite side rolls back and answers, the impolite side ignores the other offer', async () => {
    const { polite, impolite } = pair();
    polite.negotiator.negotiationNeeded();
    impolite.negotiator.negotiationNeeded();
    await until(() => impolite.pc.log.includes('remote answer') && stable(polite, impolite), 'glare settled');
    expect(polite.pc.log).to.deep.equal(['local offer', 'rollback', 'remote offer', 'local answer']);
    expect(impolite.pc.log).to.deep.equal(['local offer', 'remote answer']); // the polite offer was never applied
    expect(impolite.negotiator.ignoringOffer).to.equal(false); // reset by the answer
    expect([...polite.errors, ...impolite.errors]).to.deep.equal([]);
  });

  it('after answering a colliding broker offer, the polite side makes no broker offer of its own again (Chromium fires negotiationneeded after the rollback)', async () => {
    const { polite, impolite } = pair();
    polite.negotiator.negotiationNeeded();
    impolite.negotiator.negotiationNeeded();
    await until(() => impolite.pc.log.includes('remote answer') && stable(polite, impolite), 'glare settled');
    polite.negotiator.negotiationNeeded();
    await wait(30);
    expect(polite.pc.log).to.deep.equal(['local offer', 'rollback', 'remote offer', 'local answer']);
    // In-band (channel 0 open) negotiation goes on as usual: the polite side asks for an offer.
    polite.inband = true;
    polite.negotiator.negotiationNeeded();
    await until(() => polite.requests.length === 1, 'a Negotiate request in-band');
  });

  it('the side that is not the first offerer makes no broker offer, until an ICE restart allows one', async () => {
    const answerer = side('answerer', false, false);
    answerer.negotiator.negotiationNeeded();
    await wait(30);
    expect(answerer.pc.log).to.deep.equal([]);
    answerer.negotiator.allowBrokerOffer();
    answerer.negotiator.negotiationNeeded();
    await until(() => answerer.pc.log.length === 1, 'the restart offer');
    expect(answerer.pc.log).to.deep.equal(['local offer']);
  });

  it('in-band, the polite side asks for an offer (with its new m-lines) instead of offering', async () => {
    const polite = side('polite', true, false);
    polite.inband = true;
    polite.pc.addTransceiver('video').sender.track = { kind: 'video' };
    polite.pc.addTransceiver('audio').sender.track = { kind: 'audio' };
    polite.pc.addTransceiver('video'); // no track: nothing to send, nothing to ask for
    polite.negotiator.negotiationNeeded();
    await until(() => polite.requests.length === 1, 'a Negotiate request');
    expect(polite.requests).to.deep.equal([{ audio: 1, video: 1 }]);
    expect(polite.pc.log).to.deep.equal([]);
  });

  it('the impolite side makes room for a request (recvonly), within maxTransceivers', async () => {
    const impolite = side('impolite', false, false, 4);
    impolite.inband = true;
    impolite.negotiator.onRequest(1, 2);
    await until(() => impolite.pc.transceivers.length === 3, 'room for the request');
    expect(impolite.pc.transceivers.map((t) => [t.kind, t.direction])).to.deep.equal([['audio', 'recvonly'], ['video', 'recvonly'], ['video', 'recvonly']]);
    // Requests count all the asker's tracks without an m-line: 1 audio and 2 video are there already.
    impolite.negotiator.onRequest(1, 2);
    await wait(20);
    expect(impolite.pc.transceivers).to.have.length(3);
    impolite.negotiator.onRequest(2, 3); // 3 + 2 > 4
    await until(() => impolite.errors.length === 1, 'the refusal');
    expect(impolite.pc.transceivers).to.have.length(3);
    expect(impolite.errors.map((e) => e.code)).to.deep.equal(['ERR_LIMIT']);
  });

  it('a request sent before the polite side applied our latest offer is dropped; the polite side asks again for what that offer did not give', async () => {
    const { polite, impolite } = pair();
    impolite.negotiator.negotiationNeeded(); // the first round: the data m-line only
    await until(() => stable(polite, impolite) && polite.pc.remoteDescription !== null, 'the first round');
    polite.inband = impolite.inband = true;
    const firstOffer = '7 1';
    // Both add video at once: the polite side asks for two m-lines while the impolite side offers its own.
    for (let i = 0; i < 2; i++) polite.pc.addTransceiver('video').sender.track = { kind: 'video' };
    polite.negotiator.negotiationNeeded();
    await until(() => polite.requests.length === 1, 'the first request');
    expect(polite.requests[0]).to.deep.equal({ audio: 0, video: 2, seen: firstOffer });
    impolite.pc.addTransceiver('video').sender.track = { kind: 'video' };
    impolite.negotiator.negotiationNeeded();
    await until(() => impolite.pc.log.filter((step) => step === 'local offer').length === 2, 'the impolite offer');
    impolite.negotiator.onRequest(0, 2, firstOffer); // crossed that offer: dropped
    await until(() => stable(polite, impolite), 'the round of the impolite offer');
    // The offer's video m-line took one of the polite tracks; the other is asked for, once.
    await until(() => polite.requests.length === 2, 'the second request');
    polite.negotiator.negotiationNeeded(); // negotiationneeded again: the same request is not sent twice
    await wait(20);
    expect(polite.requests).to.have.length(2);
    expect(polite.requests[1]).to.deep.include({ audio: 0, video: 1 });
    expect(impolite.pc.transceivers.map((t) => t.direction)).to.deep.equal(['sendrecv']);
    const { audio, video, seen } = polite.requests[1]!;
    impolite.negotiator.onRequest(audio, video, seen);
    await until(() => impolite.pc.transceivers.length === 2, 'room for the second track');
    expect(impolite.pc.transceivers.map((t) => t.direction)).to.deep.equal(['sendrecv', 'recvonly']);
    expect(impolite.errors.concat(polite.errors)).to.deep.equal([]);
  });

  it('a request is served first by our own transceivers that have no m-line yet (the next offer carries them)', async () => {
    const impolite = side('impolite', false, false, 8);
    impolite.inband = true;
    impolite.pc.addTransceiver('video').sender.track = { kind: 'video' }; // ours, sendrecv, not offered yet
    impolite.pc.addTransceiver('audio', { direction: 'sendonly' }); // cannot receive: no room for theirs
    impolite.negotiator.onRequest(1, 2);
    await until(() => impolite.pc.transceivers.length === 4, 'room for the rest');
    expect(impolite.pc.transceivers.map((t) => [t.kind, t.direction])).to.deep.equal([['video', 'sendrecv'], ['audio', 'sendonly'], ['audio', 'recvonly'], ['video', 'recvonly']]);
  });

  it('a flood of requests holds one task: the latest waiting request replaces the others', async () => {
    const impolite = side('impolite', false, false, 64);
    impolite.inband = true;
    for (let i = 0; i < 1000; i++) impolite.negotiator.onRequest(0, (i % 3) + 1); // the last asks for 1
    await until(() => impolite.pc.transceivers.length > 0, 'room for the latest request');
    await wait(20);
    expect(impolite.pc.transceivers.map((t) => t.direction)).to.deep.equal(['recvonly']);
  });

  it('a request reaching the polite side is refused with ERR_UNEXPECTED', () => {
    const polite = side('polite', true, false);
    polite.negotiator.onRequest(1, 0);
    expect(polite.pc.transceivers).to.have.length(0);
    expect(polite.errors.map((e) => e.code)).to.deep.equal(['ERR_UNEXPECTED']);
  });

  it('a request that needs no new m-line (a direction change) during a round is remembered and offered after it', async () => {
    const impolite = side('impolite', false, true);
    impolite.inband = true;
    impolite.negotiator.negotiationNeeded();
    await until(() => impolite.pc.signalingState === 'have-local-offer', 'the first offer');
    impolite.negotiator.onRequest(0, 0); // not stable: remembered
    await wait(20);
    expect(impolite.pc.log).to.deep.equal(['local offer']);
    impolite.negotiator.receive({ type: 'answer', sdp: 'v=0\r\n' });
    await until(() => impolite.pc.log.length === 3, 'the requested offer');
    expect(impolite.pc.log).to.deep.equal(['local offer', 'remote answer', 'local offer']);
  });

  it('an offer with more m-lines than maxTransceivers allows is refused (ERR_LIMIT) and not applied', async () => {
    const s = side('s', true, false, 2);
    const sdp = ['v=0', 'm=application 9 x', 'm=audio 9 x', 'm=video 9 x', 'm=video 9 x'].join('\r\n');
    s.negotiator.receive({ type: 'offer', sdp });
    await until(() => s.errors.length === 1, 'the refusal');
    expect(s.errors[0]!.code).to.equal('ERR_LIMIT');
    expect(s.pc.log).to.deep.equal([]);
  });

  it('an answer without an offer of ours is an error (ERR_UNEXPECTED), and the queue goes on', async () => {
    const { polite, impolite } = pair();
    polite.negotiator.receive({ type: 'answer', sdp: 'v=0\r\n' });
    await until(() => polite.errors.length === 1, 'the error');
    expect(polite.errors[0]!.code).to.equal('ERR_UNEXPECTED');
    impolite.negotiator.negotiationNeeded();
    await until(() => polite.pc.log.length === 2 && stable(polite, impolite), 'a round after the error');
  });

  it('a description that cannot be read (a malformed broker message) is an error event in turn, never a throw into the caller', async () => {
    const s = side('s', true, false);
    s.negotiator.receive(() => {
      throw new PeerixError('ERR_DECODE', 'malformed description');
    });
    await until(() => s.errors.length === 1, 'the error');
    expect(s.errors[0]!.code).to.equal('ERR_DECODE');
    expect(s.pc.log).to.deep.equal([]);
  });

  it('after dispose, nothing more is negotiated and failures are not reported', async () => {
    const { polite, impolite } = pair();
    polite.negotiator.dispose();
    impolite.negotiator.negotiationNeeded();
    await until(() => impolite.pc.signalingState === 'have-local-offer', 'the offer');
    await wait(20);
    expect(polite.pc.log).to.deep.equal([]);
    expect(polite.errors).to.deep.equal([]);
  });
});
