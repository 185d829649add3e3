import { html, nothing } from 'lit';
import { formatSize } from './file-size.js';
import type { Transfer } from './file-transfer-types.js';

const STATE_TEXT: Record<Transfer['state'], string> = {
  sending: 'Sending',
  receiving: 'Receiving',
  verifying: 'Checking',
  done: '',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * One transfer as a list item's content: name, size and type as text, a
 * progress bar and a cancel button while it runs, a download link once a
 * received file is verified. Nothing of the file is previewed or opened.
 */
export function renderTransfer(t: Transfer, cancel: (t: Transfer) => void) {
  const running = t.state === 'sending' || t.state === 'receiving' || t.state === 'verifying';
  const who = t.peerName ? (t.direction === 'out' ? `to ${t.peerName}` : `from ${t.peerName}`) : '';
  const name =
    t.state === 'done' && t.url
      ? html`<a part="file-link" href=${t.url} download=${t.name}>${t.name}</a>`
      : html`<span part="file-name">${t.name}</span>`;
  return html`<div class="file ${t.state}" part="file" data-state=${t.state}>
    <div class="line">
      ${name}
      <span class="meta" part="file-meta">${formatSize(t.size)} · ${t.type}${who ? ` · ${who}` : ''}</span>
    </div>
    ${running
      ? html`<div class="line">
          <progress part="progress" max=${Math.max(t.size, 1)} .value=${t.size ? t.bytes : 0} aria-label=${`${t.name} ${who}`}></progress>
          <span class="status" part="file-status">${STATE_TEXT[t.state]} ${formatSize(t.bytes)}</span>
          <button part="button cancel-button" type="button" aria-label=${`Cancel ${t.name} ${who}`} @click=${() => cancel(t)}>Cancel</button>
        </div>`
      : nothing}
    ${t.state === 'done'
      ? html`<span class="status" part="file-status">${t.direction === 'out' ? `Sent ${who}` : `Received ${who}`}, SHA-256 checked</span>`
      : t.state === 'failed' || t.state === 'cancelled'
        ? html`<span class="status problem" part="file-status file-error">${STATE_TEXT[t.state]}: ${t.message ?? ''}</span>`
        : nothing}
  </div>`;
}
