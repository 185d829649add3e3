import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PeerixConference, PeerixRecordButton, PeerixRemoteVideos, PeerixRoom, RecordingDetail } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-record-button>', () => {
  before(async () => {
    await loadElements();
  });

  it('records the room, tells the others (tile badge, conference header) and offers the file on stop', async () => {
    const room = uniqueRoom('rec');
    const wrapper = await fixture(html`<div>
      <peerix-room id="a" driver="memory" room=${room} name="Ana"><peerix-local-media></peerix-local-media><peerix-record-button></peerix-record-button></peerix-room>
      <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-remote-videos></peerix-remote-videos></peerix-room>
    </div>`);
    const a = wrapper.querySelector<PeerixRoom>('#a')!;
    const b = wrapper.querySelector<PeerixRoom>('#b')!;
    await connected([a, b]);
    const videos = b.querySelector<PeerixRemoteVideos>('peerix-remote-videos')!;
    const tile = () => videos.shadowRoot!.querySelector('figure[part~="tile"]');
    await until(() => tile(), "Ana's tile");
    const recorder = a.querySelector<PeerixRecordButton>('peerix-record-button')!;
    await recorder.updateComplete;
    const button = recorder.shadowRoot!.querySelector<HTMLButtonElement>('button')!;
    expect(button.getAttribute('aria-label')).to.equal('Start recording');
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    await expect(recorder).to.be.accessible();
    // From the keyboard: a real key press is the user gesture the browser wants before it plays (mixes) audio.
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => recorder.recording, 'recording');
    await recorder.updateComplete;
    expect(button.getAttribute('aria-label')).to.equal('Stop recording');
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    await until(() => tile()?.hasAttribute('recording'), 'the recording badge on the tile');
    expect(tile()!.querySelector('[part~="recording-badge"]')!.textContent).to.equal('Recording');
    await new Promise((r) => setTimeout(r, 1500));
    const stopped = oneEvent(recorder, 'peerix-recording');
    button.click();
    const detail = ((await stopped) as CustomEvent<RecordingDetail>).detail;
    expect(detail.blob.size).to.be.greaterThan(1000);
    expect(detail.mimeType).to.match(/^video\//);
    expect(detail.duration).to.be.greaterThan(1000);
    await recorder.updateComplete;
    const link = recorder.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="download-link"]')!;
    expect(link.getAttribute('download')).to.match(/^recording-.*\.(webm|mp4)$/);
    expect((await (await fetch(link.href)).blob()).size).to.equal(detail.blob.size);
    await until(() => !tile()?.hasAttribute('recording'), 'the badge goes away');
    await expect(recorder).to.be.accessible();
  });

  it('in <peerix-conference recording theme="dark">: header count and notice, accessible', async () => {
    const room = uniqueRoom('confrec');
    const wrapper = await fixture(html`<div>
      <peerix-conference id="a" driver="memory" room=${room} name="Ana" recording theme="dark" files></peerix-conference>
      <peerix-conference id="b" driver="memory" room=${room} name="Ben" theme="dark"></peerix-conference>
    </div>`);
    const a = wrapper.querySelector<PeerixConference>('#a')!;
    const b = wrapper.querySelector<PeerixConference>('#b')!;
    const header = (c: PeerixConference) => c.shadowRoot!.querySelector('[part="header"]')!;
    await until(() => header(a)?.textContent?.includes('2 participants') && header(b)?.textContent?.includes('2 participants'), 'both count two');
    expect(b.shadowRoot!.querySelector('peerix-record-button')).to.equal(null);
    expect(a.shadowRoot!.querySelector('peerix-chat')!.files).to.equal(true);
    const button = a.shadowRoot!.querySelector('peerix-record-button')!;
    await button.updateComplete;
    button.shadowRoot!.querySelector('button')!.click();
    await until(() => b.hasAttribute('others-recording') && a.hasAttribute('others-recording'), 'the notice on both');
    expect(b.shadowRoot!.querySelector('[part="recording-indicator"]')!.textContent).to.contain('Recording');
    await expect(a).to.be.accessible();
    await expect(b).to.be.accessible();
    await button.stop();
    await until(() => !b.hasAttribute('others-recording'), 'the notice clears');
  });
});
