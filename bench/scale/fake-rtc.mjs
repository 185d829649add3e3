// Signaling-only stand-in for RTCPeerConnection, passed to the real Peer as
// `rtc`: everything above it (identities, encryption, announce, offers, answers,
// candidates, bye, the drivers and brokers) is the real stack. Descriptions are
// not live ones: each is the Chromium-form data-channel SDP that the codec's
// compact form expands to (sdp.ts expandDescription), with a fresh ufrag,
// password, fingerprint and one host candidate, so its wire size is a real
// Chromium offer's. A pair "connects" once both descriptions are set: the
// pre-negotiated channel opens and in-band traffic (peer to peer, never the
// broker) is dropped.

let next = 0;
const random = (n) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'[Math.floor(Math.random() * 64)]).join('');

/**
 * A stand-in implementation for one Peer. `expandDescription` comes from the
 * engine's codec; `owner` is told about answers: `onAnswer(ufrag)` on the offerer,
 * and `answers.set(ufrag, owner)` lets the offerer find who answered.
 */
export function fakeRtc({ expandDescription, owner, answers }) {
  class FakeChannel extends EventTarget {
    constructor(label, init = {}) {
      super();
      this.label = label;
      this.id = init.id ?? null;
      this.ordered = init.ordered ?? true;
      this.protocol = init.protocol ?? '';
      this.readyState = 'connecting';
      this.binaryType = 'arraybuffer';
      this.bufferedAmount = 0;
      this.bufferedAmountLowThreshold = 0;
      this.onopen = this.onclose = this.onerror = this.onmessage = this.onbufferedamountlow = null;
    }
    send() {}
    close() {
      if (this.readyState === 'closed') return;
      this.readyState = 'closed';
      this.onclose?.(new Event('close'));
    }
    _open() {
      if (this.readyState !== 'connecting') return;
      this.readyState = 'open';
      this.onopen?.(new Event('open'));
    }
  }

  class FakePeerConnection extends EventTarget {
    constructor() {
      super();
      this.signalingState = 'stable';
      this.connectionState = 'new';
      this.iceConnectionState = 'new';
      this.iceGatheringState = 'new';
      this.localDescription = null;
      this.remoteDescription = null;
      this.sctp = { maxMessageSize: 262144 };
      this.onnegotiationneeded = this.onicecandidate = this.onicegatheringstatechange = null;
      this.onconnectionstatechange = this.ondatachannel = this.ontrack = null;
      this._channels = [];
      this._negotiationQueued = false;
    }
    createDataChannel(label, init) {
      const channel = new FakeChannel(label, init);
      this._channels.push(channel);
      if (this.connectionState === 'connected') queueMicrotask(() => channel._open());
      else if (!this.localDescription && !this._negotiationQueued) {
        this._negotiationQueued = true;
        queueMicrotask(() => this.onnegotiationneeded?.(new Event('negotiationneeded')));
      }
      return channel;
    }
    _describe(type) {
      const ufrag = `${(next++).toString(36)}${random(4)}`.slice(0, 8).padEnd(4, 'x');
      const compact = {
        type,
        ufrag,
        pwd: random(24),
        fingerprint: crypto.getRandomValues(new Uint8Array(32)),
        setup: type === 'offer' ? 'actpass' : 'active',
        sessionId: String(Math.floor(Math.random() * 2 ** 52)),
        sessionVersion: 2,
        sctpPort: 5000,
        maxMessageSize: 262144,
        candidates: [{ foundation: String(1000000000 + Math.floor(Math.random() * 3e9)), component: 1, protocol: 'udp', priority: 2122260223, address: '198.18.0.1', port: 40000 + Math.floor(Math.random() * 20000), type: 'host' }],
      };
      return { ufrag, description: expandDescription(compact) };
    }
    async createOffer() {
      return this._describe('offer').description;
    }
    async createAnswer() {
      return this._describe('answer').description;
    }
    async setLocalDescription(description) {
      if (this.signalingState === 'closed') throw new Error('closed');
      let desc = description;
      if (!desc?.type) desc = this.signalingState === 'have-remote-offer' ? await this.createAnswer() : await this.createOffer();
      if (desc.type === 'rollback') {
        this.signalingState = 'stable';
        this.localDescription = null;
        return;
      }
      this.localDescription = { type: desc.type, sdp: desc.sdp };
      if (desc.type === 'answer') answers.set(ufragOf(desc.sdp), owner);
      this.signalingState = desc.type === 'offer' ? 'have-local-offer' : 'stable';
      // Candidates are in the description already: gathering is over at once.
      this.iceGatheringState = 'complete';
      this._maybeConnect();
    }
    async setRemoteDescription(description) {
      if (this.signalingState === 'closed') throw new Error('closed');
      this.remoteDescription = { type: description.type, sdp: description.sdp };
      if (description.type === 'offer') {
        this.signalingState = 'have-remote-offer';
      } else {
        this.signalingState = 'stable';
        owner.onAnswer?.(ufragOf(description.sdp));
      }
      this._maybeConnect();
    }
    async addIceCandidate() {}
    getTransceivers() {
      return [];
    }
    getSenders() {
      return [];
    }
    restartIce() {}
    async getStats() {
      return new Map();
    }
    _maybeConnect() {
      if (this.signalingState !== 'stable' || !this.localDescription || !this.remoteDescription || this.connectionState !== 'new') return;
      setTimeout(() => {
        if (this.signalingState === 'closed') return;
        this.connectionState = 'connected';
        this.onconnectionstatechange?.(new Event('connectionstatechange'));
        for (const channel of this._channels) channel._open();
      }, 0);
    }
    close() {
      this.signalingState = 'closed';
      this.connectionState = 'closed';
      for (const channel of this._channels) channel.close();
    }
  }
  return { RTCPeerConnection: FakePeerConnection };
}

function ufragOf(sdp) {
  return /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];
}
