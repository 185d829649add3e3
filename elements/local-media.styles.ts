import { css } from 'lit';

export const localMediaStyles = css`
  /* In composed markup without page CSS the preview stays a preview, not the page's width. */
  :host {
    display: block;
    max-width: var(--peerix-local-media-max-width, 480px);
    color: var(--peerix-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .preview {
    position: relative;
    aspect-ratio: var(--peerix-video-aspect-ratio, 4 / 3);
    background: var(--peerix-video-background, #212529);
    border-radius: var(--peerix-tile-radius, 8px);
    overflow: hidden;
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: var(--peerix-video-fit, cover);
    transform: var(--peerix-local-video-transform, scaleX(-1));
    display: block;
  }
  video[hidden] {
    display: none;
  }
  .status {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    margin: 0;
    padding: 1em;
    text-align: center;
    color: var(--peerix-overlay-color, #f8f9fa);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: var(--peerix-gap, 0.5rem);
    margin-top: var(--peerix-gap, 0.5rem);
    align-items: end;
  }
  label {
    display: inline-flex;
    flex-direction: column;
    font-size: 0.85em;
    gap: 0.2em;
  }
  select {
    max-width: 14em;
  }
`;
