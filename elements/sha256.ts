/**
 * Streaming SHA-256 (FIPS 180-4). WebCrypto's `digest` needs the whole input
 * at once, which for a file transfer means the whole file in memory; this one
 * takes it in pieces as they are read or arrive, so the hash of a 1 GiB file
 * costs 64 bytes of state. The result equals `sha256sum` of the file.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export class Sha256 {
  #h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  #w = new Int32Array(64);
  /** Bytes of a block not yet complete. */
  #tail = new Uint8Array(64);
  #tailLength = 0;
  #length = 0;
  #done = false;

  /** Adds `bytes` to the hash. */
  update(bytes: Uint8Array): this {
    if (this.#done) throw new Error('Sha256: update() after digest()');
    this.#length += bytes.length;
    let offset = 0;
    if (this.#tailLength) {
      const take = Math.min(64 - this.#tailLength, bytes.length);
      this.#tail.set(bytes.subarray(0, take), this.#tailLength);
      this.#tailLength += take;
      offset = take;
      if (this.#tailLength < 64) return this;
      this.#blocks(this.#tail, 0, 64);
      this.#tailLength = 0;
    }
    const whole = offset + Math.floor((bytes.length - offset) / 64) * 64;
    this.#blocks(bytes, offset, whole);
    this.#tail.set(bytes.subarray(whole));
    this.#tailLength = bytes.length - whole;
    return this;
  }

  /** The 32-byte digest; the hash cannot be updated afterwards. */
  digest(): Uint8Array {
    if (this.#done) throw new Error('Sha256: digest() called twice');
    const bits = this.#length * 8;
    const padLength = this.#tailLength < 56 ? 64 : 128;
    const pad = new Uint8Array(padLength);
    pad.set(this.#tail.subarray(0, this.#tailLength));
    pad[this.#tailLength] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(padLength - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padLength - 4, bits >>> 0);
    this.#blocks(pad, 0, padLength);
    this.#done = true;
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setInt32(i * 4, this.#h[i]!);
    return out;
  }

  /** The digest as lowercase hex. */
  hex(): string {
    return [...this.digest()].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  #blocks(bytes: Uint8Array, start: number, end: number): void {
    const w = this.#w;
    const h = this.#h;
    let h0 = h[0]!, h1 = h[1]!, h2 = h[2]!, h3 = h[3]!, h4 = h[4]!, h5 = h[5]!, h6 = h[6]!, h7 = h[7]!;
    for (let p = start; p < end; p += 64) {
      for (let i = 0; i < 16; i++) {
        const j = p + i * 4;
        w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
      }
      for (let i = 16; i < 64; i++) {
        const a = w[i - 15]!;
        const b = w[i - 2]!;
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0;
      h1 = (h1 + b) | 0;
      h2 = (h2 + c) | 0;
      h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0;
      h5 = (h5 + f) | 0;
      h6 = (h6 + g) | 0;
      h7 = (h7 + hh) | 0;
    }
    h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3; h[4] = h4; h[5] = h5; h[6] = h6; h[7] = h7;
  }
}
