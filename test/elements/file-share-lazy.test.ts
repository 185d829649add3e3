import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { MemoryDriver, Peer } from '../../src/index.js';
import type { FileDetail, PeerixFileShare } from '../../elements/index.js';
import { loadElements, uniqueRoom, until } from './helpers.js';

/*
 * The transfer code is loaded on first use (a chunk of its own in the CDN build). This file
 * runs in a page of its own, so the first element here is the first use: what it is given
 * before the code arrives is queued, not lost.
 */
describe('<peerix-file-share> before its transfer code has loaded', () => {
  it('queues files sent at once and sends them when the code arrives', async () => {
    await loadElements();
    const driver = new MemoryDriver();
    const room = uniqueRoom('lazy');
    const a = new Peer({ driver });
    const b = new Peer({ driver });
    try {
      await Promise.all([a.join({ room, metadata: { name: 'Ana' } }), b.join({ room, metadata: { name: 'Ben' } })]);
      await until(() => [...a.connections.values()].some((r) => r.state === 'connected'), 'connected');
      const wrapper = await fixture(html`<div><peerix-file-share .peer=${a}></peerix-file-share><peerix-file-share .peer=${b}></peerix-file-share></div>`);
      const [shareA, shareB] = [...wrapper.querySelectorAll<PeerixFileShare>('peerix-file-share')];
      const file = new File(['hello, lazy world'], 'hello.txt', { type: 'text/plain' });
      const received = oneEvent(shareB!, 'peerix-file');
      // The elements have just attached: the code is still on its way, so nothing has started.
      expect(shareA!.send([file])).to.deep.equal([]);
      const detail = ((await received) as CustomEvent<FileDetail>).detail;
      expect(detail.name).to.equal('hello.txt');
      expect(await detail.blob.text()).to.equal('hello, lazy world');
      await until(() => shareA!.transfers[0]?.state === 'done', 'the sender done');
      expect(shareA!.transfers.map((t) => t.direction)).to.deep.equal(['out']);
      // Loaded now: the next send starts at once.
      const [next] = shareA!.send([file]);
      expect(next!.state).to.equal('sending');
    } finally {
      await Promise.all([a.leave(), b.leave()]);
    }
  });
});
