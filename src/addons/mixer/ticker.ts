/**
 * Calls `tick` every `ms` milliseconds, also while the tab is hidden: timers
 * in a hidden page are throttled to once a second or less (and
 * requestAnimationFrame stops), but a dedicated worker's timers are not.
 * Falls back to the page's own timer where workers from blob URLs are blocked (CSP).
 */
export function startTicker(ms: number, tick: () => void): () => void {
  let fallback: ReturnType<typeof setInterval> | undefined;
  const useFallback = (): void => {
    if (fallback === undefined) fallback = setInterval(tick, ms);
  };
  let worker: Worker | null = null;
  try {
    const source = 'let id;onmessage=(e)=>{clearInterval(id);if(e.data>0)id=setInterval(()=>postMessage(0),e.data)}';
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    worker = new Worker(url);
    worker.onmessage = () => {
      if (url) URL.revokeObjectURL(url);
      tick();
    };
    worker.onerror = () => {
      worker?.terminate();
      worker = null;
      useFallback();
    };
    worker.postMessage(ms);
  } catch {
    worker = null;
    useFallback();
  }
  return () => {
    worker?.terminate();
    clearInterval(fallback);
  };
}
