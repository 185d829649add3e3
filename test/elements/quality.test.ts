import { expect, fixture, html as testHtml } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { MemoryDriver, Peer, type RemotePeer } from '../../src/index.js';
import { controlStyles } from '../../elements/shared.styles.js';
import { QualityMonitor, gradeOf, qualityBadge, qualityStyles, type QualitySource } from '../../elements/connection-quality.js';
import { uniqueRoom, until } from './helpers.js';

/** A stand-in for a tile's caption: one badge per connection of `peer`. */
class QualityHost extends LitElement {
  static override styles = [controlStyles, qualityStyles];
  peer: Peer | null = null;
  source: QualitySource | undefined;
  monitor!: QualityMonitor;

  override connectedCallback(): void {
    this.monitor ??= new QualityMonitor(this, () => this.peer?.connections.values() ?? [], { interval: 200, ...(this.source ? { source: this.source } : {}) });
    super.connectedCallback();
  }

  protected override render() {
    return html`${[...(this.peer?.connections.values() ?? [])].map((r) => html`<p data-peer=${r.id}>${r.id} ${qualityBadge(this.monitor.of(r))}</p>`)}`;
  }
}
customElements.define('test-quality-host', QualityHost);

async function pair(): Promise<[Peer, Peer]> {
  const driver = new MemoryDriver();
  const room = uniqueRoom('quality');
  const a = new Peer({ driver });
  const b = new Peer({ driver });
  await Promise.all([a.join({ room }), b.join({ room })]);
  await until(() => [...a.connections.values()].some((r) => r.state === 'connected'), 'connected');
  return [a, b];
}

describe('connection quality badge (elements/connection-quality.ts)', () => {
  it('grades round trip and loss: good, fair, poor', () => {
    expect(gradeOf({})).to.equal('good');
    expect(gradeOf({ rtt: 40, loss: 0 })).to.equal('good');
    expect(gradeOf({ rtt: 200, loss: 0 })).to.equal('fair');
    expect(gradeOf({ rtt: 40, loss: 0.02 })).to.equal('fair');
    expect(gradeOf({ rtt: 450 })).to.equal('poor');
    expect(gradeOf({ rtt: 40, loss: 0.08 })).to.equal('poor');
  });

  it('shows a good badge from the real connection\'s getStats, with its figures in the tooltip', async () => {
    const [a, b] = await pair();
    try {
      const host = await fixture<QualityHost>(testHtml`<test-quality-host .peer=${a}></test-quality-host>`);
      // Traffic on the connection, for a bitrate.
      await a.send('x'.repeat(20000));
      const badge = () => host.shadowRoot!.querySelector<HTMLElement>('[part~="quality-badge"]');
      await until(() => badge()?.title.includes('kbit/s') || badge()?.title.includes('Mbit/s'), 'a badge with a bitrate');
      const title = badge()!.title;
      // Loopback: a short round trip, no loss.
      expect(title).to.match(/^good connection: \d+ ms round trip/);
      expect(badge()!.getAttribute('part')).to.equal('badge quality-badge good');
      expect(badge()!.querySelectorAll('path').length).to.equal(3);
      expect(badge()!.querySelector('.visually-hidden')!.textContent).to.equal(title);
      await expect(host).to.be.accessible();
    } finally {
      await Promise.all([a.leave(), b.leave()]);
    }
  });

  it('takes another source (an engine-side remote.stats()): fair and poor show fewer bars', async () => {
    const [a, b] = await pair();
    let figures = { rtt: 220, loss: 0 };
    const source: QualitySource = async (_remote: RemotePeer) => figures;
    try {
      const host = document.createElement('test-quality-host') as QualityHost;
      host.peer = a;
      host.source = source;
      document.body.append(host);
      const badge = () => host.shadowRoot!.querySelector<HTMLElement>('[part~="quality-badge"]');
      await until(() => badge()?.classList.contains('fair'), 'fair');
      expect(badge()!.title).to.equal('fair connection: 220 ms round trip, 0.0 % loss');
      expect(badge()!.querySelectorAll('path').length).to.equal(2);
      figures = { rtt: 30, loss: 0.12 };
      await until(() => badge()?.classList.contains('poor'), 'poor');
      expect(badge()!.title).to.equal('poor connection: 30 ms round trip, 12 % loss');
      expect(badge()!.querySelectorAll('path').length).to.equal(1);
      expect(getComputedStyle(badge()!).color).to.equal('rgb(255, 135, 135)');
      host.remove();
    } finally {
      await Promise.all([a.leave(), b.leave()]);
    }
  });
});
