#!/usr/bin/env node
// Signaling codec benchmark: bundles src/signaling with esbuild, runs it in
// the system Chromium, and prints throughput (encode, decode, seal, open) and
// the wire sizes of a real Chromium data-channel offer and answer, a
// candidate batch and a whole two-peer setup. Run with `npm run bench:codec`
// (inside a private network namespace, so Chromium gathers host candidates).
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));

const entry = `
import { encodeMessage, decodeMessage, kindNumber } from './src/signaling/codec.js';
import { compress } from './src/signaling/compression.js';
import { createIdentity } from './src/signaling/crypto.js';
import { createSession, deriveRoomKeys, PairKeys } from './src/signaling/keys.js';
import { base64urlEncode } from './src/signaling/encoding.js';
import { Envelopes } from './src/signaling/envelope.js';
import { roomNamespace } from './src/signaling/namespace.js';
import { compactDescription, parseCandidate } from './src/signaling/sdp.js';
window.peerix = { encodeMessage, decodeMessage, kindNumber, compress, createIdentity, createSession, deriveRoomKeys, PairKeys, base64urlEncode, Envelopes, roomNamespace, compactDescription, parseCandidate };
`;

const bundle = await esbuild.build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  write: false,
});
const script = bundle.outputFiles[0].text;

const server = http.createServer((req, res) => {
  if (req.url === '/bench.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(script);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>bench</title><script type="module" src="/bench.js"></script>');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-features=WebRtcHideLocalIpsWithMdns'],
});

try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'peerix' in window);
  const result = await page.evaluate(async () => {
    const px = window.peerix;
    const gathered = (pc) =>
      new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        setTimeout(resolve, 5000);
      });

    // A real data-channel offer/answer pair, candidates included.
    const offerer = new RTCPeerConnection();
    const answerer = new RTCPeerConnection();
    const trickled = [];
    offerer.addEventListener('icecandidate', (e) => e.candidate?.candidate && trickled.push(e.candidate.candidate));
    offerer.createDataChannel('signal');
    await offerer.setLocalDescription(await offerer.createOffer());
    await gathered(offerer);
    await answerer.setRemoteDescription(offerer.localDescription);
    await answerer.setLocalDescription(await answerer.createAnswer());
    await gathered(answerer);
    const offerSdp = offerer.localDescription.sdp;
    const answerSdp = answerer.localDescription.sdp;
    offerer.close();
    answerer.close();

    const metadata = JSON.stringify({ name: 'Ana' });
    const offerCompact = px.compactDescription({ type: 'offer', sdp: offerSdp });
    const answerCompact = px.compactDescription({ type: 'answer', sdp: answerSdp });
    // The gathered candidates plus the srflx and relay ones a NATed peer would add.
    const batch = trickled.map((line) => px.parseCandidate(line)).filter(Boolean);
    batch.push(
      { foundation: '842163049', component: 1, protocol: 'udp', priority: 1686052607, address: '203.0.113.7', port: 61000, type: 'srflx', relatedAddress: '198.18.0.1', relatedPort: 54321 },
      { foundation: '3491243125', component: 1, protocol: 'udp', priority: 41885439, address: '192.0.2.10', port: 50000, type: 'relay', relatedAddress: '203.0.113.7', relatedPort: 61000 },
    );

    const messages = {
      announce: { kind: 'Announce' },
      offer: { kind: 'BrokerOffer', description: offerCompact, metadata },
      answer: { kind: 'BrokerAnswer', description: answerCompact, metadata },
      candidates: { kind: 'BrokerCandidates', candidates: batch, end: true },
    };
    const sdpText = { announce: 0, offer: offerSdp.length, answer: answerSdp.length, candidates: trickled.join('\r\n').length };

    const [a, b] = await Promise.all([px.createIdentity(), px.createIdentity()]);
    const room = 'bench';
    const ns = await px.roomNamespace(room, true);
    const { roomKey, pairSalt } = await px.deriveRoomKeys(room, '');
    const sessions = new Map([a, b].map((p) => [p.id, px.base64urlEncode(px.createSession())]));
    const envelopes = (identity, encryption = true) =>
      new px.Envelopes({ identity, roomNamespace: ns, roomKey, pairKeys: new px.PairKeys(identity, pairSalt, sessions.get(identity.id)), encryption, compression: true, replayBound: 1 << 20 });
    const sealA = envelopes(a);
    const openB = envelopes(b);

    const sizes = {};
    for (const [name, msg] of Object.entries(messages)) {
      const body = px.encodeMessage(msg);
      const compressed = await px.compress(body);
      const to = name === 'announce' ? undefined : b.id;
      const sealed = await sealA.seal(msg, to, to && sessions.get(to));
      const plain = await envelopes(a, false).seal(msg, to, to && sessions.get(to));
      sizes[name] = {
        sdpText: sdpText[name],
        json: JSON.stringify(msg, (k, v) => (v instanceof Uint8Array ? Array.from(v) : v)).length,
        encoded: body.length,
        deflated: compressed.length,
        sealedPlain: plain.length,
        sealedEncrypted: sealed.length,
        compressedInEnvelope: (sealed[0] & 2) !== 0,
      };
    }

    const rate = async (fn, ms = 600) => {
      for (let i = 0; i < 20; i++) await fn(i);
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < ms) await fn(n++);
      return n / ((performance.now() - start) / 1000);
    };
    const offerBody = px.encodeMessage(messages.offer);
    const offerKind = px.kindNumber(messages.offer);
    const pool = [];
    for (let i = 0; i < 1500; i++) pool.push(await sealA.seal(messages.offer, b.id, sessions.get(b.id)));
    const ops = {
      'encode offer': await rate(() => px.encodeMessage(messages.offer)),
      'decode offer': await rate(() => px.decodeMessage(offerKind, offerBody)),
      'seal offer (deflate + AES-GCM)': await rate(() => sealA.seal(messages.offer, b.id, sessions.get(b.id))),
      'seal announce (AES-GCM)': await rate(() => sealA.seal(messages.announce)),
    };
    // Each sealed message opens once (a second time would be a replay).
    const started = performance.now();
    for (const sealed of pool) await openB.open(sealed, b.id);
    ops['open offer (AES-GCM + checks)'] = pool.length / ((performance.now() - started) / 1000);
    return { sizes, ops, candidates: { offer: offerCompact.candidates.length, answer: answerCompact.candidates.length, batch: batch.length }, compact: { offer: !offerCompact.sdp, answer: !answerCompact.sdp } };
  });

  const pad = (text, width, right = false) => (right ? String(text).padStart(width) : String(text).padEnd(width));
  console.log('Peerix signaling codec benchmark (Chromium', browser.version() + ')\n');
  console.log('Throughput');
  for (const [name, perSecond] of Object.entries(result.ops)) console.log(`  ${pad(name, 34)} ${pad(Math.round(perSecond).toLocaleString('en-US'), 10, true)} ops/s`);
  console.log('\nSizes in bytes (offer/answer: real Chromium data-channel SDP, compact form;');
  console.log(`candidates: ${result.candidates.batch} in one batch; offer carries ${result.candidates.offer}, answer ${result.candidates.answer})\n`);
  const cols = ['sdpText', 'json', 'encoded', 'deflated', 'sealedPlain', 'sealedEncrypted'];
  const heads = ['SDP text', 'JSON', 'encoded', 'deflated', 'sealed', 'sealed+enc'];
  console.log(`  ${pad('message', 12)}${heads.map((h) => pad(h, 11, true)).join('')}   deflate used`);
  let total = 0;
  for (const [name, s] of Object.entries(result.sizes)) {
    console.log(`  ${pad(name, 12)}${cols.map((c) => pad(s[c] || '-', 11, true)).join('')}   ${s.compressedInEnvelope ? 'yes' : 'no'}`);
    total += s.sealedEncrypted;
  }
  const setup = 2 * result.sizes.announce.sealedEncrypted + result.sizes.offer.sealedEncrypted + result.sizes.answer.sealedEncrypted;
  console.log(`\n  two-peer setup, candidates inside offer/answer (two announces + offer + answer): ${setup} bytes in 4 broker messages`);
  console.log(`  with a separate candidate batch as well: ${setup + result.sizes.candidates.sealedEncrypted} bytes in 5 broker messages`);
  if (!result.compact.offer || !result.compact.answer) console.log('  note: a description fell back to full SDP text');
} finally {
  await browser.close();
  server.close();
}
