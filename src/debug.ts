/**
 * Debug logging switched on by `localStorage.debug` (browsers) or `DEBUG`
 * (Node): comma- or space-separated patterns, `*` wildcards, `-` excludes.
 */

export type DebugLogger = ((...args: unknown[]) => void) & { readonly namespace: string; readonly enabled: boolean };

/** True when `namespace` is selected by `patterns` (exclusions win). */
export function isDebugEnabled(namespace: string, patterns: string): boolean {
  let included = false;
  for (const raw of patterns.split(/[\s,]+/)) {
    if (!raw) continue;
    const excluded = raw.startsWith('-');
    const pattern = excluded ? raw.slice(1) : raw;
    if (!matches(pattern, namespace)) continue;
    if (excluded) return false;
    included = true;
  }
  return included;
}

function matches(pattern: string, namespace: string): boolean {
  const source = pattern.split('*').map(escapeRegExp).join('.*?');
  // `peerix:peer:*` also selects `peerix:peer` itself, as users expect.
  const withParent = pattern.endsWith(':*') ? `${source}|${escapeRegExp(pattern.slice(0, -2))}` : source;
  return new RegExp(`^(?:${withParent})$`).test(namespace);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function readPatterns(): string {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage;
    const fromStorage = storage?.getItem('debug');
    if (fromStorage) return fromStorage;
  } catch {
    // localStorage can throw in sandboxed frames; fall through to DEBUG.
  }
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.DEBUG ?? '';
}

/** A logger for `namespace`; the patterns are read once, when it is made. */
export function createDebug(namespace: string): DebugLogger {
  const enabled = isDebugEnabled(namespace, readPatterns());
  const log = (...args: unknown[]): void => {
    if (enabled) console.debug(`%c${namespace}`, 'color:#0a7', ...args);
  };
  return Object.assign(log, { namespace, enabled });
}
