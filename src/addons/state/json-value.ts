/** JSON values as SharedState stores them: parsed once, frozen, with bounded nesting. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Deepest nesting accepted, the same in every browser (their own recursion limits differ). */
export const MAX_DEPTH = 64;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Parses JSON text into a deeply frozen value, so what `get` returns cannot be
 * changed behind the replication's back. Throws on bad JSON, deep nesting or
 * numbers out of range.
 */
export function parseFrozen(text: string): JsonValue {
  const value = JSON.parse(text) as JsonValue;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    // JSON text such as 1e400 parses to Infinity, which is no JSON value (it would travel on as null).
    if (typeof item === 'number' && !Number.isFinite(item)) throw new RangeError('a number out of range');
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`);
    Object.freeze(item);
    for (const child of Object.values(item)) if (typeof child === 'number' || (child !== null && typeof child === 'object')) stack.push([child, depth + 1]);
  }
  return value;
}
