import { expect } from '@open-wc/testing';
import { decodeMessage, encodeMessage } from '../../src/signaling/codec.js';
import { Kind } from '../../src/signaling/messages.js';
import type { CompactDescription, SignalMessage } from '../../src/signaling/messages.js';
import { compactDescription, expandDescription, formatCandidate, parseCandidate } from '../../src/signaling/sdp.js';

// A data-channel offer from Firefox ESR 153 (session-level fingerprint and
// a=sendrecv, hex ufrag/pwd, upper-case transports, a=end-of-candidates).
const firefoxOffer = [
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-99.0 5953141253261625803 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=sendrecv',
  'a=fingerprint:sha-256 4A:0E:C7:FE:DF:B0:BE:09:4C:08:BF:00:BE:F4:47:BA:F2:2A:73:E8:A6:27:5F:A2:8F:5D:EA:C7:0D:30:53:8F',
  'a=group:BUNDLE 0',
  'a=ice-options:trickle',
  'a=msid-semantic:WMS *',
  'm=application 49261 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 192.0.2.2',
  'a=candidate:0 1 UDP 2122187007 192.0.2.2 49261 typ host',
  'a=candidate:1 1 UDP 2122252543 fd00::2 54923 typ host',
  'a=candidate:2 1 TCP 2105458943 192.0.2.2 9 typ host tcptype active',
  'a=sendrecv',
  'a=end-of-candidates',
  'a=ice-pwd:7c22365fc5f5695fea4eeb0aa88b6b49',
  'a=ice-ufrag:a57d80e3',
  'a=mid:0',
  'a=setup:actpass',
  'a=sctp-port:5000',
  'a=max-message-size:1073741823',
  '',
].join('\r\n');

function viaWire(desc: RTCSessionDescriptionInit, kind: 'BrokerOffer' | 'BrokerAnswer'): { compact: CompactDescription; expanded: RTCSessionDescriptionInit; bytes: number } {
  const compact = compactDescription({ type: desc.type, sdp: desc.sdp ?? '' });
  const msg: SignalMessage = kind === 'BrokerOffer' ? { kind, description: compact } : { kind, description: compact };
  const body = encodeMessage(msg);
  const decoded = decodeMessage(Kind[kind], body) as Extract<SignalMessage, { kind: 'BrokerOffer' | 'BrokerAnswer' }>;
  return { compact, expanded: expandDescription(decoded.description), bytes: body.length };
}

async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const done = () => pc.iceGatheringState === 'complete' && resolve();
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, 5000); // connect with what we have
  });
}

function opened(channel: RTCDataChannel): Promise<void> {
  return channel.readyState === 'open' ? Promise.resolve() : new Promise((resolve) => channel.addEventListener('open', () => resolve(), { once: true }));
}

describe('sdp', () => {
  const pcs: RTCPeerConnection[] = [];
  afterEach(() => {
    for (const pc of pcs.splice(0)) pc.close();
  });

  it('connects two peer connections exchanging only compact descriptions, and a message crosses', async () => {
    const offerer = new RTCPeerConnection();
    const answerer = new RTCPeerConnection();
    pcs.push(offerer, answerer);
    const channel = offerer.createDataChannel('chat');
    await offerer.setLocalDescription(await offerer.createOffer());
    await gathered(offerer);
    const offer = viaWire(offerer.localDescription!, 'BrokerOffer');
    expect(offer.compact.sdp, 'offer fell back to full text').to.equal(undefined);
    expect(offer.compact.candidates.length, 'no ICE candidates: run inside scripts/netns.mjs').to.be.above(0);
    console.log(`compact offer: ${offer.bytes} bytes (SDP text: ${offerer.localDescription!.sdp.length})`);

    const incoming = new Promise<RTCDataChannel>((resolve) => answerer.addEventListener('datachannel', (e) => resolve(e.channel)));
    await answerer.setRemoteDescription(offer.expanded);
    await answerer.setLocalDescription(await answerer.createAnswer());
    await gathered(answerer);
    const answer = viaWire(answerer.localDescription!, 'BrokerAnswer');
    expect(answer.compact.sdp).to.equal(undefined);
    expect(answer.compact.setup).to.equal('active');
    await offerer.setRemoteDescription(answer.expanded);

    const remote = await incoming;
    await Promise.all([opened(channel), opened(remote)]);
    const received = new Promise<string>((resolve) => remote.addEventListener('message', (e) => resolve(e.data as string), { once: true }));
    channel.send('hello Ω');
    expect(await received).to.equal('hello Ω');
    const back = new Promise<string>((resolve) => channel.addEventListener('message', (e) => resolve(e.data as string), { once: true }));
    remote.send('pong');
    expect(await back).to.equal('pong');
  });

  it('expands to the documented minimal SDP', () => {
    const compact = compactDescription({ type: 'offer', sdp: firefoxOffer });
    expect(compact.sdp).to.equal(undefined);
    expect(compact).to.deep.include({
      ufrag: 'a57d80e3',
      pwd: '7c22365fc5f5695fea4eeb0aa88b6b49',
      setup: 'actpass',
      sessionId: '5953141253261625803',
      sessionVersion: 0,
      sctpPort: 5000,
      maxMessageSize: 1073741823,
      endOfCandidates: true,
    });
    expect(compact.candidates.map((c) => c.protocol)).to.deep.equal(['udp', 'udp', 'tcp']);
    const { sdp } = expandDescription(compact);
    expect(sdp).to.equal(
      [
        'v=0',
        'o=- 5953141253261625803 0 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        'a=group:BUNDLE 0',
        'a=msid-semantic: WMS',
        'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
        'c=IN IP4 0.0.0.0',
        'a=candidate:0 1 udp 2122187007 192.0.2.2 49261 typ host',
        'a=candidate:1 1 udp 2122252543 fd00::2 54923 typ host',
        'a=candidate:2 1 tcp 2105458943 192.0.2.2 9 typ host tcptype active',
        'a=end-of-candidates',
        'a=ice-ufrag:a57d80e3',
        'a=ice-pwd:7c22365fc5f5695fea4eeb0aa88b6b49',
        'a=ice-options:trickle',
        'a=fingerprint:sha-256 4A:0E:C7:FE:DF:B0:BE:09:4C:08:BF:00:BE:F4:47:BA:F2:2A:73:E8:A6:27:5F:A2:8F:5D:EA:C7:0D:30:53:8F',
        'a=setup:actpass',
        'a=mid:0',
        'a=sctp-port:5000',
        'a=max-message-size:1073741823',
        '',
      ].join('\r\n'),
    );
  });

  it('Chromium accepts an expanded Firefox offer and answers it compactly', async () => {
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    const { compact, expanded } = viaWire({ type: 'offer', sdp: firefoxOffer }, 'BrokerOffer');
    expect(compact.sdp).to.equal(undefined);
    await pc.setRemoteDescription(expanded);
    await pc.setLocalDescription(await pc.createAnswer());
    const answer = compactDescription(pc.localDescription!);
    expect(answer.sdp).to.equal(undefined);
    expect(answer.setup).to.equal('active');
  });

  it('accepts multiple fingerprints when exactly one is sha-256, and keeps only that one', () => {
    const withMore = firefoxOffer.replace('a=group:BUNDLE 0', 'a=fingerprint:sha-1 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD\r\na=group:BUNDLE 0');
    const compact = compactDescription({ type: 'offer', sdp: withMore });
    expect(compact.sdp).to.equal(undefined);
    expect(expandDescription(compact).sdp).to.not.contain('sha-1');
    const noSha256 = firefoxOffer.replace('a=fingerprint:sha-256', 'a=fingerprint:sha-384');
    expect(compactDescription({ type: 'offer', sdp: noSha256 }).sdp).to.equal(noSha256);
  });

  it('falls back to full text for SDP outside the template (audio m-line)', async () => {
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    pc.addTransceiver('audio');
    pc.createDataChannel('x');
    const offer = await pc.createOffer();
    const compact = compactDescription(offer);
    expect(compact.sdp).to.equal(offer.sdp);
    expect(compact.candidates).to.deep.equal([]);
    const { expanded } = viaWire(offer, 'BrokerOffer');
    expect(expanded).to.deep.equal({ type: 'offer', sdp: offer.sdp });
    // Unknown attributes also keep the full text.
    const odd = firefoxOffer.replace('a=mid:0', 'a=mid:0\r\na=ice-lite');
    expect(compactDescription({ type: 'offer', sdp: odd }).sdp).to.equal(odd);
  });

  it('parses and formats candidates (host, srflx, relay, tcp, mDNS)', () => {
    const lines = [
      'candidate:2395300328 1 udp 2122260223 198.18.0.1 54321 typ host',
      'candidate:842163049 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 198.18.0.1 rport 54321',
      'candidate:3 1 udp 41885439 192.0.2.10 50000 typ relay raddr 203.0.113.7 rport 61000',
      'candidate:1 1 tcp 1518280447 2001:db8::1 9 typ host tcptype active',
      'candidate:4 2 tcp 1518214911 198.18.0.1 45000 typ host tcptype passive',
      'candidate:5 1 udp 2122260223 6a2f1f34-7b9c-4a51-9b44-7d1e2b1c0f00.local 54321 typ host',
      'candidate:6 1 udp 1845501695 203.0.113.9 1234 typ prflx raddr 0.0.0.0 rport 0',
    ];
    for (const line of lines) {
      const parsed = parseCandidate(line);
      expect(parsed, line).to.not.equal(null);
      expect(formatCandidate(parsed!)).to.equal(line);
      expect(parseCandidate('a=' + line)).to.deep.equal(parsed);
      // And through the codec.
      const body = encodeMessage({ kind: 'BrokerCandidates', candidates: [parsed!] });
      const decoded = decodeMessage(Kind.BrokerCandidates, body) as Extract<SignalMessage, { kind: 'BrokerCandidates' }>;
      expect(formatCandidate(decoded.candidates[0]!)).to.equal(line);
    }
    // Extensions are dropped; upper-case transports are normalised.
    const chrome = parseCandidate('candidate:2395300328 1 udp 2122260223 198.18.0.1 54321 typ host generation 0 ufrag W3nq network-id 1 network-cost 10');
    expect(formatCandidate(chrome!)).to.equal(lines[0]);
    expect(parseCandidate('candidate:0 1 UDP 2122187007 192.0.2.2 49261 typ host')!.protocol).to.equal('udp');
    for (const bad of [
      '',
      'candidate:',
      'candidate:1 1 udp 1 1.2.3.4 5 type host',
      'candidate:1 0 udp 1 1.2.3.4 5 typ host',
      'candidate:1 1 sctp 1 1.2.3.4 5 typ host',
      'candidate:1 1 udp 4294967296 1.2.3.4 5 typ host',
      'candidate:1 1 udp 1 1.2.3.4 65536 typ host',
      'candidate:1 1 udp 1 1.2.3.4 5 typ nat',
      'candidate:1 1 udp 1 bad\naddress 5 typ host',
      'candidate:1 1 tcp 1 1.2.3.4 5 typ host tcptype sideways',
      'candidate:1 1 udp 1 1.2.3.4 5 typ srflx raddr 1.2.3.4 rport 70000',
    ]) {
      expect(parseCandidate(bad), JSON.stringify(bad)).to.equal(null);
    }
  });
});
