import type { SendData } from '../../types.js';

/** One NDJSON line of a data-channel log. */
export interface LogLine {
  /** Milliseconds since the recording started. */
  t: number;
  /** Sender's peer id (this peer's own id for messages it sent). */
  from: string;
  label: string;
  /** The message: text as is, binary as base64 (then `encoding` is `'base64'`). */
  data: string;
  encoding?: 'base64';
}

/** Base64 of bytes, in slices so large messages do not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function line(t: number, from: string, label: string, text: string, binary: boolean): string {
  const entry: LogLine = binary ? { t, from, label, data: text, encoding: 'base64' } : { t, from, label, data: text };
  return JSON.stringify(entry) + '\n';
}

/**
 * The lines of a log in arrival order. A Blob message is read asynchronously,
 * so its slot is a promise: later lines never overtake it.
 */
export class LineBuffer {
  #lines: Array<string | Promise<string>> = [];
  /** Bytes held or promised (binary counted at its base64 size). */
  bytes = 0;

  add(t: number, from: string, label: string, data: SendData): void {
    if (typeof data === 'string') return this.#push(line(t, from, label, data, false));
    if (data instanceof Blob) {
      this.bytes += Math.ceil(data.size / 3) * 4 + 100;
      this.#lines.push(data.arrayBuffer().then((buffer) => line(t, from, label, toBase64(new Uint8Array(buffer)), true)));
      return;
    }
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.#push(line(t, from, label, toBase64(bytes), true));
  }

  /** Bytes `data` will take in the log, before it is added (to enforce a cap). */
  static size(data: SendData): number {
    if (typeof data === 'string') return data.length * 3 + 100;
    const n = data instanceof Blob ? data.size : data.byteLength;
    return Math.ceil(n / 3) * 4 + 100;
  }

  /** Takes every line so far as one NDJSON Blob. */
  async take(): Promise<Blob> {
    const lines = this.#lines;
    this.#lines = [];
    return new Blob(await Promise.all(lines), { type: 'application/x-ndjson' });
  }

  #push(text: string): void {
    this.bytes += text.length;
    this.#lines.push(text);
  }
}
