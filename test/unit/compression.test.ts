import { expect } from '@open-wc/testing';
import { codeOf } from './expect-error.js';
import { compress, decompress, maybeCompress } from '../../src/signaling/compression.js';


describe('compression', () => {
  it('round-trips text and binary data', async () => {
    const text = new TextEncoder().encode('a=candidate:1 1 udp 2122260223 198.18.0.1 54321 typ host\r\n'.repeat(20));
    const packed = await compress(text);
    expect(packed.length).to.be.below(text.length / 4);
    expect(Array.from(await decompress(packed))).to.deep.equal(Array.from(text));
    const binary = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 255);
    expect(Array.from(await decompress(await compress(binary)))).to.deep.equal(Array.from(binary));
    expect((await decompress(await compress(new Uint8Array(0)))).length).to.equal(0);
  });

  it('allows output exactly at the cap and refuses one byte more', async () => {
    const data = new Uint8Array(1000).fill(65);
    const packed = await compress(data);
    expect((await decompress(packed, 1000)).length).to.equal(1000);
    expect(await codeOf(decompress(packed, 999))).to.equal('ERR_DECOMPRESS');
  });

  it('rejects a 10 MiB deflate bomb quickly, without inflating it', async () => {
    const bomb = await compress(new Uint8Array(10 * 1024 * 1024));
    expect(bomb.length).to.be.below(20_000);
    const started = performance.now();
    expect(await codeOf(decompress(bomb))).to.equal('ERR_DECOMPRESS');
    // Informational only: the limit is what matters, not the time.
    console.log(`bomb of ${bomb.length} bytes rejected in ${(performance.now() - started).toFixed(1)} ms`);
  });

  it('rejects garbage, truncated and trailing-junk input with ERR_DECOMPRESS', async () => {
    const good = await compress(new TextEncoder().encode('hello hello hello hello'));
    const inputs = [
      new Uint8Array(0),
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      Uint8Array.from({ length: 200 }, (_, i) => (i * 31 + 7) & 255),
      good.slice(0, good.length - 2),
      Uint8Array.from([...good, 1, 2, 3]),
    ];
    for (const input of inputs) expect(await codeOf(decompress(input))).to.equal('ERR_DECOMPRESS');
  });

  it('maybeCompress compresses only when the result is smaller', async () => {
    const small = Uint8Array.from([1, 2, 3, 4, 5]);
    const kept = await maybeCompress(small);
    expect(kept.compressed).to.equal(false);
    expect(kept.bytes).to.equal(small);
    const big = new Uint8Array(500).fill(9);
    const packed = await maybeCompress(big);
    expect(packed.compressed).to.equal(true);
    expect(packed.bytes.length).to.be.below(big.length);
  });
});
