/**
 * An order-independent digest of a document: the sum of two 32-bit FNV-1a
 * hashes of every record (key, stamp and value). Peers compare digests on
 * connect and exchange whole states only when they differ. Sums can be
 * updated in O(1) when one record replaces another.
 */
export type RecordHash = readonly [number, number];

function fnv1a(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function hashRecord(text: string): RecordHash {
  return [fnv1a(text, 0x811c9dc5), fnv1a(text, 0x2f4a8b3d)];
}

export class Digest {
  #a = 0;
  #b = 0;
  #count = 0;

  add([a, b]: RecordHash): void {
    this.#a = (this.#a + a) >>> 0;
    this.#b = (this.#b + b) >>> 0;
    this.#count++;
  }

  remove([a, b]: RecordHash): void {
    this.#a = (this.#a - a) >>> 0;
    this.#b = (this.#b - b) >>> 0;
    this.#count--;
  }

  /** Short text form sent on the wire. */
  toString(): string {
    return `${this.#count}.${this.#a.toString(36)}.${this.#b.toString(36)}`;
  }
}
