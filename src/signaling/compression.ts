/**
 * Raw DEFLATE through the platform's CompressionStream. Decompression is fed
 * in small slices and read incrementally, so a deflate bomb is stopped once
 * its output passes the cap instead of being inflated into memory whole.
 */
import { PeerixError } from '../errors.js';

/** Input slice fed to the decompressor: DEFLATE inflates at most ~1032:1, so one slice yields ≤ ~264 KiB. */
const SLICE = 256;

/** Compresses with raw DEFLATE (`deflate-raw`). */
export async function compress(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new PeerixError('ERR_DECOMPRESS', 'compression failed', { cause: error });
  }
}

/**
 * Inflates raw DEFLATE. Throws PeerixError ERR_DECOMPRESS on malformed input
 * or as soon as the output would exceed `maxBytes`.
 */
export async function decompress(bytes: Uint8Array, maxBytes = 65536): Promise<Uint8Array> {
  let stream: DecompressionStream;
  try {
    stream = new DecompressionStream('deflate-raw');
  } catch (error) {
    throw new PeerixError('ERR_DECOMPRESS', 'decompression is not available', { cause: error });
  }
  const writer = stream.writable.getWriter();
  const reader = (stream.readable as ReadableStream<Uint8Array>).getReader();
  let stopped = false;
  const pump = async (): Promise<void> => {
    for (let offset = 0; offset < bytes.length && !stopped; offset += SLICE) {
      await writer.ready;
      if (stopped) return;
      await writer.write(bytes.subarray(offset, offset + SLICE) as Uint8Array<ArrayBuffer>);
    }
    if (!stopped) await writer.close();
  };
  // Failures surface through the reader; the pump's own rejection is expected then.
  pump().catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        stopped = true;
        reader.cancel().catch(() => {});
        throw new PeerixError('ERR_DECOMPRESS', `decompressed data exceeds ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    stopped = true;
    if (error instanceof PeerixError) throw error;
    reader.cancel().catch(() => {});
    throw new PeerixError('ERR_DECOMPRESS', 'malformed compressed data', { cause: error });
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Compresses only when that makes the bytes smaller. */
export async function maybeCompress(bytes: Uint8Array): Promise<{ bytes: Uint8Array; compressed: boolean }> {
  const compressed = await compress(bytes);
  return compressed.length < bytes.length ? { bytes: compressed, compressed: true } : { bytes, compressed: false };
}
