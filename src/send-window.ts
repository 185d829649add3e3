/**
 * Pause sending above `high` buffered bytes; resume below `low` (the channel's
 * `bufferedAmountLowThreshold`). Settled by the bench's window sweep
 * (`BENCH_ONLY=sweep npm run bench`, README "Performance").
 */
export const WINDOW = { high: 4 * 1024 * 1024, low: 1024 * 1024 };

/** @internal The bench's window sweep sets other marks (channels attached later use them). */
export function tuneSendWindow(high: number, low: number): void {
  WINDOW.high = high;
  WINDOW.low = Math.min(low, high);
}
/** The high mark where bufferedAmount is reported late. */
const LAGGING_HIGH_WATER = 1024 * 1024;
/** Longest wait for bufferedamountlow before bufferedAmount is looked at again. */
const DRAIN_POLL_MS = 20;

/**
 * Back-pressure on one data channel's send buffer. Some implementations
 * (@roamhq/wrtc) report `bufferedAmount` late, and overrunning their buffer
 * closes the channel: bytes sent that the figure does not show yet are
 * counted here, and such a channel is kept well below the usual mark.
 */
export class SendWindow {
  readonly #dc: RTCDataChannel;
  #unreported = 0;
  #lagging = false;

  constructor(dc: RTCDataChannel) {
    this.#dc = dc;
  }

  /** Sends a binary frame, counting it if `bufferedAmount` does not show it yet. */
  send(frame: Uint8Array<ArrayBuffer>): void {
    const dc = this.#dc;
    const before = dc.bufferedAmount;
    dc.send(frame);
    if (dc.bufferedAmount < before + frame.length) {
      this.#unreported += frame.length;
      this.#lagging = true;
    }
  }

  /** Resolves once there is room to send; false if the channel closed meanwhile. */
  async room(): Promise<boolean> {
    const dc = this.#dc;
    // Where the figure comes late, stay well below the point where a send would overrun.
    const high = this.#lagging ? Math.min(LAGGING_HIGH_WATER, WINDOW.high) : WINDOW.high;
    let stale = 0;
    while (dc.readyState === 'open' && dc.bufferedAmount + this.#unreported > high) {
      const reported = dc.bufferedAmount;
      await new Promise<void>((resolve) => {
        // Also polled: some Node WebRTC implementations never fire bufferedamountlow.
        const poll = setTimeout(done, DRAIN_POLL_MS);
        function done(): void {
          clearTimeout(poll);
          dc.removeEventListener('bufferedamountlow', done);
          dc.removeEventListener('close', done);
          resolve();
        }
        dc.addEventListener('bufferedamountlow', done);
        dc.addEventListener('close', done);
      });
      // A fresh figure accounts for what was sent; one unchanged for long has nothing left to add.
      if (dc.bufferedAmount !== reported || ++stale >= 10) {
        this.#unreported = 0;
        stale = 0;
      }
    }
    return dc.readyState === 'open';
  }
}
