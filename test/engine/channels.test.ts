import { expect } from '@open-wc/testing';
import { MemoryDriver, type Peer, type RemotePeer } from '../../src/index.js';
import { formMesh, leaveAll, makePeers, until } from './helpers.js';

const room = () => `channels-${Math.random()}`;
const remoteOf = (p: Peer, other: Peer): RemotePeer => p.connections.get(other.id)!;

async function sha256(buffer: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', buffer as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('data channels', () => {
  it('a channel opened before join and one opened after both appear on both sides', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    const opened: string[] = [];
    a!.on('channel:open', ({ label }) => opened.push(`a:${label}`));
    b!.on('channel:open', ({ label }) => opened.push(`b:${label}`));
    a!.open({ label: 'early' });
    await formMesh([a!, b!], room());
    await until(() => opened.includes('a:early') && opened.includes('b:early'), 'early channel on both sides');
    b!.open({ label: 'late', ordered: true });
    await until(() => opened.includes('a:late') && opened.includes('b:late'), 'late channel on both sides');
    expect(remoteOf(a!, b!).channels.get('late')!.raw!.ordered).to.equal(true);
    await leaveAll([a!, b!]);
  });

  it('close() on one side closes the channel on both', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    const closed: string[] = [];
    a!.on('channel:close', ({ label }) => closed.push(`a:${label}`));
    b!.on('channel:close', ({ label }) => closed.push(`b:${label}`));
    a!.open({ label: 'x' });
    await formMesh([a!, b!], room());
    await until(() => remoteOf(b!, a!)?.channels.get('x')?.readyState === 'open', 'channel open');
    b!.close({ label: 'x' });
    await until(() => closed.includes('a:x') && closed.includes('b:x'), 'close on both sides');
    expect(remoteOf(a!, b!).channels.has('x')).to.equal(false);
    await leaveAll([a!, b!]);
  });

  it('messages sent while the channel is still connecting are delivered, in order', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    const got: string[] = [];
    b!.on('channel:message', ({ data }) => got.push(String(data)));
    const sends: Promise<void>[] = [];
    let stateAtSend = '';
    // Sent the moment the connection object exists: nothing is connected yet.
    a!.on('connection:new', ({ remote }) => {
      stateAtSend = remote.state;
      remote.open({ label: 'q' });
      sends.push(remote.send('one', { label: 'q' }), remote.send('two', { label: 'q' }), remote.send(new Uint8Array([3]), { label: 'q' }));
    });
    const r = room();
    await Promise.all([a!.join({ room: r }), b!.join({ room: r })]);
    await until(() => sends.length === 3, 'messages queued');
    expect(stateAtSend).to.equal('new');
    await Promise.all(sends);
    await until(() => got.length === 3, 'queued messages');
    expect(got.slice(0, 2)).to.deep.equal(['one', 'two']);
    await leaveAll([a!, b!]);
  });

  it('carries strings, ArrayBuffers, typed arrays and Blobs', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    const got: Array<string | ArrayBuffer> = [];
    b!.on('channel:message', ({ data }) => got.push(data));
    a!.open({ label: 'bin' });
    await formMesh([a!, b!], room());
    await a!.send('héllo ✓', { label: 'bin' });
    await a!.send(new Uint8Array([1, 2, 3]).buffer, { label: 'bin' });
    await a!.send(new Uint16Array([0x0102, 0x0304]), { label: 'bin' });
    await a!.send(new Blob([new Uint8Array([9, 8, 7])]), { label: 'bin' });
    await a!.send(new Uint8Array(0), { label: 'bin' });
    await until(() => got.length === 5, 'five messages');
    expect(got[0]).to.equal('héllo ✓');
    expect([...new Uint8Array(got[1] as ArrayBuffer)]).to.deep.equal([1, 2, 3]);
    expect([...new Uint16Array(got[2] as ArrayBuffer)]).to.deep.equal([0x0102, 0x0304]);
    expect([...new Uint8Array(got[3] as ArrayBuffer)]).to.deep.equal([9, 8, 7]);
    expect((got[4] as ArrayBuffer).byteLength).to.equal(0);
    await leaveAll([a!, b!]);
  });

  it('a 32 MiB message arrives intact, with progress on both sides and a delivery confirmation', async function () {
    this.timeout(120000);
    const [a, b] = makePeers(2, new MemoryDriver());
    a!.open({ label: 'file' });
    await formMesh([a!, b!], room());
    const size = 32 * 1024 * 1024;
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(payload.subarray(i, i + 65536));
    const expected = await sha256(payload);
    let received: ArrayBuffer | null = null;
    const receiverProgress: number[] = [];
    const senderProgress: number[] = [];
    b!.on('channel:progress', ({ received: r, total }) => {
      expect(total).to.equal(size);
      receiverProgress.push(r);
    });
    b!.on('channel:message', ({ data }) => (received = data as ArrayBuffer));
    await a!.send(payload, { label: 'file', onProgress: ({ sent }) => senderProgress.push(sent) });
    // send() resolves on the receiver's acknowledgement, so the message is whole by now.
    expect(received).to.not.equal(null);
    expect(await sha256(received!)).to.equal(expected);
    expect(senderProgress.length).to.be.greaterThan(10);
    expect(senderProgress.at(-1)).to.equal(size);
    expect(receiverProgress.length).to.be.greaterThan(10);
    expect(receiverProgress.at(-1)).to.equal(size);
    await leaveAll([a!, b!]);
  });

  it('a large string is chunked and comes back as a string', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    let got: unknown = null;
    b!.on('channel:message', ({ data }) => (got = data));
    a!.open({ label: 'text' });
    await formMesh([a!, b!], room());
    const text = 'Ω'.repeat(600_000);
    await a!.send(text, { label: 'text' });
    expect(got).to.equal(text);
    await leaveAll([a!, b!]);
  });

  it('send on a label nobody opened rejects with a clear error', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    await formMesh([a!, b!], room());
    const error = await remoteOf(a!, b!).send('x', { label: 'nope' }).then(() => null, (e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as { code?: string }).code).to.equal('ERR_CHANNEL');
    await leaveAll([a!, b!]);
  });

  it('send to a remote that left, on a label only this side opened, rejects instead of throwing', async () => {
    const [a, b] = makePeers(2, new MemoryDriver());
    await formMesh([a!, b!], room());
    const gone = remoteOf(a!, b!);
    await b!.leave();
    await until(() => !a!.connections.has(b!.id), 'a sees b leave');
    a!.open({ label: 'late-label' });
    let result: Promise<void> | undefined;
    expect(() => { result = gone.send('x', { label: 'late-label' }); }).not.to.throw();
    const error = await result!.then(() => null, (e: Error) => e);
    expect((error as { code?: string } | null)?.code).to.equal('ERR_CHANNEL');
    await leaveAll([a!]);
  });
});
