import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ErrorDetail, FileDetail, PeerixChat, PeerixFileShare, PeerixRoom } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

/** A file of `size` bytes: a random 64 KiB block repeated, each 64 KiB starting with its own number (no long task). */
function makeFile(size: number, name = 'data.bin', type = 'application/octet-stream'): File {
  const block = crypto.getRandomValues(new Uint8Array(65536));
  const parts: BlobPart[] = [];
  for (let offset = 0, i = 0; offset < size; offset += 65536, i++) {
    const header = `#${i}`.padEnd(16, '.').slice(0, Math.min(16, size - offset));
    parts.push(header, block.subarray(0, Math.min(65536, size - offset) - header.length));
  }
  return new File(parts, name, { type });
}

const hex = async (blob: Blob): Promise<string> =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))].map((b) => b.toString(16).padStart(2, '0')).join('');

async function twoRooms(a = '', b = '') {
  const room = uniqueRoom('files');
  const wrapper = await fixture(html`<div>
    <peerix-room id="a" driver="memory" room=${room} name="Ana"><peerix-file-share max-size=${a}></peerix-file-share></peerix-room>
    <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-file-share max-size=${b}></peerix-file-share></peerix-room>
  </div>`);
  const roomA = wrapper.querySelector<PeerixRoom>('#a')!;
  const roomB = wrapper.querySelector<PeerixRoom>('#b')!;
  await connected([roomA, roomB]);
  return { roomA, roomB, shareA: roomA.querySelector('peerix-file-share')!, shareB: roomB.querySelector('peerix-file-share')! };
}

describe('<peerix-file-share>', () => {
  before(async () => {
    await loadElements();
    // The transfer code loads on first use (file-share-lazy.test.ts covers that); here it is
    // loaded up front, so that send() returns its transfers at once.
    await import('../../elements/file-transfers.js');
  });

  it('sends a file in slices with progress at both ends; the receiver checks its SHA-256 and offers a download link', async () => {
    const { shareA, shareB } = await twoRooms();
    const file = makeFile(5 * 1024 * 1024 + 123, '<img src=x onerror=alert(1)>.bin');
    const progressA: number[] = [];
    const progressB: number[] = [];
    const sample = () => {
      const a = shareA.transfers[0];
      const b = shareB.transfers[0];
      if (a) progressA.push(a.bytes);
      if (b) progressB.push(b.bytes);
    };
    const timer = setInterval(sample, 5);
    const received = oneEvent(shareB, 'peerix-file');
    const sent = oneEvent(shareA, 'peerix-file');
    const [transfer] = shareA.send([file]);
    expect(transfer!.state).to.equal('sending');
    const detail = ((await received) as CustomEvent<FileDetail>).detail;
    clearInterval(timer);
    expect(detail.direction).to.equal('in');
    expect(detail.name).to.equal('<img src=x onerror=alert(1)>.bin');
    expect(detail.size).to.equal(file.size);
    expect(detail.checksum).to.match(/^[0-9a-f]{64}$/);
    expect(detail.checksum).to.equal(shareA.transfers[0]!.checksum);
    expect(await hex(detail.blob)).to.equal(await hex(file));
    const out = ((await sent) as CustomEvent<FileDetail>).detail;
    expect(out.direction).to.equal('out');
    expect(out.remote.metadata?.name).to.equal('Ben');
    // Intermediate progress was seen at both ends (more than one distinct value below the size).
    expect(new Set(progressA.filter((n) => n > 0 && n < file.size)).size).to.be.greaterThan(1);
    expect(new Set(progressB.filter((n) => n > 0 && n < file.size)).size).to.be.greaterThan(1);
    await shareB.updateComplete;
    const link = shareB.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="file-link"]')!;
    expect(link.getAttribute('download')).to.equal('<img src=x onerror=alert(1)>.bin');
    expect(link.textContent).to.equal('<img src=x onerror=alert(1)>.bin');
    expect(shareB.shadowRoot!.querySelector('img')).to.equal(null);
    expect(link.href).to.match(/^blob:/);
    // The link serves the bytes as a download, not as a page.
    expect((await (await fetch(link.href)).blob()).type).to.equal('application/octet-stream');
    expect(shareB.shadowRoot!.querySelector('[part~="file-meta"]')!.textContent).to.contain('5.0 MB').and.contain('application/octet-stream').and.contain('from Ana');
    await expect(shareA).to.be.accessible();
    await expect(shareB).to.be.accessible();
  });

  it('refuses a file over max-size at the sender, and the receiver enforces its own limit', async () => {
    const { shareA, shareB } = await twoRooms('', '64k');
    // Sender side: Ben's own limit.
    const refusedHere = oneEvent(shareB, 'peerix-error');
    const [local] = shareB.send([makeFile(100 * 1024, 'big.bin')]);
    expect(local!.state).to.equal('failed');
    expect(local!.message).to.contain('larger than the limit of 64 KB');
    expect(((await refusedHere) as CustomEvent<ErrorDetail>).detail.error).to.have.property('code', 'ERR_TOO_LARGE');
    await shareB.updateComplete;
    expect(shareB.shadowRoot!.querySelector('[part~="file-error"]')!.textContent).to.contain('larger than the limit');
    // Receiver side: Ana has no limit, Ben refuses.
    const refusedThere = oneEvent(shareB, 'peerix-error');
    const [t] = shareA.send([makeFile(100 * 1024, 'big.bin')]);
    expect(((await refusedThere) as CustomEvent<ErrorDetail>).detail.error).to.have.property('code', 'ERR_TOO_LARGE');
    await until(() => t!.state === 'failed', 'the sender learns of the refusal');
    expect(t!.message).to.contain('refused');
    // A small one still goes through.
    const ok = oneEvent(shareB, 'peerix-file');
    shareA.send([makeFile(1000, 'small.txt', 'text/plain')]);
    expect(((await ok) as CustomEvent<FileDetail>).detail.type).to.equal('text/plain');
  });

  it('cancels from the receiver: both ends stop', async () => {
    const { shareA, shareB } = await twoRooms();
    const [t] = shareA.send([makeFile(48 * 1024 * 1024)]);
    await until(() => shareB.transfers[0] && shareB.transfers[0].bytes > 0, 'the receiver sees progress');
    const incoming = shareB.transfers[0]!;
    shareB.cancel(incoming);
    expect(incoming.state).to.equal('cancelled');
    await until(() => t!.state === 'cancelled', 'the sender stops');
    expect(t!.message).to.contain('Ben cancelled');
    expect(t!.bytes).to.be.lessThan(t!.size);
  });

  it('cancels from the sender with the button: both ends stop', async () => {
    const { shareA, shareB } = await twoRooms();
    const [t] = shareA.send([makeFile(48 * 1024 * 1024)]);
    await until(() => shareB.transfers[0] && shareB.transfers[0].bytes > 0, 'the receiver sees progress');
    await shareA.updateComplete;
    shareA.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="cancel-button"]')!.click();
    expect(t!.state).to.equal('cancelled');
    await until(() => shareB.transfers[0]!.state === 'cancelled', 'the receiver stops');
    expect(shareB.transfers[0]!.message).to.contain('Ana cancelled');
    expect(shareB.transfers[0]!.blob).to.equal(undefined);
  });

  it('fails a file whose SHA-256 does not match, and reports malformed messages', async () => {
    const room = uniqueRoom('tamper');
    const wrapper = await fixture(html`<div>
      <peerix-room id="a" driver="memory" room=${room} name="Mallory"></peerix-room>
      <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-file-share></peerix-file-share></peerix-room>
    </div>`);
    const roomA = wrapper.querySelector<PeerixRoom>('#a')!;
    const roomB = wrapper.querySelector<PeerixRoom>('#b')!;
    const shareB = roomB.querySelector<PeerixFileShare>('peerix-file-share')!;
    await connected([roomA, roomB]);
    const peer = roomA.peer!;
    peer.open({ label: 'files', ordered: true });
    const errors: ErrorDetail[] = [];
    shareB.addEventListener('peerix-error', (e) => errors.push(e.detail));
    const send = (data: string | Uint8Array) => peer.send(data, { label: 'files' });
    await send('not json');
    await send(JSON.stringify({ t: 'offer', id: 7, name: '../../etc/passwd\u202e', size: 4, type: 'text/html<script>' }));
    const frame = new Uint8Array([1, 0, 0, 0, 7, 1, 2, 3, 4]);
    await send(frame);
    await send(JSON.stringify({ t: 'end', id: 7, checksum: '0'.repeat(64) }));
    await until(() => shareB.transfers[0]?.state === 'failed', 'the damaged file fails');
    const t = shareB.transfers[0]!;
    expect(t.name).to.equal('.._.._etc_passwd');
    expect(t.type).to.equal('application/octet-stream');
    expect(t.message).to.contain('checksum');
    expect(t.blob).to.equal(undefined);
    await shareB.updateComplete;
    expect(shareB.shadowRoot!.querySelector('a[part="file-link"]')).to.equal(null);
    expect(errors.map((e) => (e.error as { code?: string }).code)).to.deep.equal(['ERR_DECODE', 'ERR_AUTH']);
    // More data than announced is refused.
    await send(JSON.stringify({ t: 'offer', id: 8, name: 'x', size: 2, type: '' }));
    await send(new Uint8Array([1, 0, 0, 0, 8, 1, 2, 3]));
    await until(() => shareB.transfers[1]?.state === 'failed', 'the overrun fails');
    expect(errors.at(-1)!.error).to.have.property('code', 'ERR_TOO_LARGE');
  });

  it('puts an attach button into <peerix-chat files>; transfers show as chat entries', async () => {
    const room = uniqueRoom('chatfiles');
    const wrapper = await fixture(html`<div>
      <peerix-room id="a" driver="memory" room=${room} name="Ana"><peerix-chat files></peerix-chat></peerix-room>
      <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-chat files></peerix-chat><peerix-file-share></peerix-file-share></peerix-room>
    </div>`);
    const roomA = wrapper.querySelector<PeerixRoom>('#a')!;
    const roomB = wrapper.querySelector<PeerixRoom>('#b')!;
    await connected([roomA, roomB]);
    const chatA = roomA.querySelector<PeerixChat>('peerix-chat')!;
    const chatB = roomB.querySelector<PeerixChat>('peerix-chat')!;
    const shareB = roomB.querySelector<PeerixFileShare>('peerix-file-share')!;
    await chatA.updateComplete;
    const attach = chatA.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="attach-button"]')!;
    expect(attach.getAttribute('aria-label')).to.equal('Attach files');
    const input = chatA.shadowRoot!.querySelector<HTMLInputElement>('input[part="file-input"]')!;
    const list = new DataTransfer();
    list.items.add(makeFile(300 * 1024, 'notes.txt', 'text/plain'));
    input.files = list.files;
    const arrivedChat = oneEvent(chatB, 'peerix-file');
    const arrivedShare = oneEvent(shareB, 'peerix-file');
    input.dispatchEvent(new Event('change'));
    const detail = ((await arrivedChat) as CustomEvent<FileDetail>).detail;
    expect(detail.name).to.equal('notes.txt');
    // The file-share element in the same room shows the same transfer: the file arrived once.
    expect(((await arrivedShare) as CustomEvent<FileDetail>).detail.blob).to.equal(detail.blob);
    expect(shareB.transfers.length).to.equal(1);
    await chatB.updateComplete;
    const entry = chatB.shadowRoot!.querySelector('[part~="message"][part~="remote"]')!;
    expect(entry.querySelector('[part="author"]')!.textContent).to.equal('Ana');
    expect(entry.querySelector('a[part="file-link"]')!.getAttribute('download')).to.equal('notes.txt');
    await expect(chatA).to.be.accessible();
    await expect(chatB).to.be.accessible();
  });
});
