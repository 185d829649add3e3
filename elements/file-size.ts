// Byte counts as people write and read them (max-size attributes, file lists, downloads).

/** Parses a size such as `1048576`, `500k`, `64 MB`, `1.5GiB` (binary units) into bytes; NaN when it is not one. */
export function parseSize(value: string | number | null | undefined): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])i?)?b?\s*$/i.exec(value ?? '');
  if (!match) return NaN;
  const power = match[2] ? 'kmgt'.indexOf(match[2].toLowerCase()) + 1 : 0;
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** `1.5 MB`-style text for a byte count (binary units, as `parseSize` reads them). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
