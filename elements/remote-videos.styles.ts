import { css } from 'lit';

export const remoteVideosStyles = css`
  :host {
    display: block;
    color: var(--peerix-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .grid {
    display: grid;
    gap: var(--peerix-gap, 0.5rem);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--peerix-tile-min-width, 220px)), 1fr));
  }
  :host([count='1']) .grid {
    grid-template-columns: 1fr;
  }
  .tile {
    position: relative;
    margin: 0;
    aspect-ratio: var(--peerix-video-aspect-ratio, 4 / 3);
    background: var(--peerix-video-background, #212529);
    border-radius: var(--peerix-tile-radius, 8px);
    overflow: hidden;
    outline: 3px solid transparent;
    transition: outline-color 0.15s;
  }
  /* Speaker layout: the featured tile first and full width, the others a strip below. */
  :host([layout='speaker']) .grid {
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--peerix-strip-tile-width, 140px)), 1fr));
  }
  :host([layout='speaker']) .tile.screen {
    grid-column: auto;
    aspect-ratio: var(--peerix-video-aspect-ratio, 4 / 3);
  }
  :host([layout='speaker']) .tile[featured] {
    grid-column: 1 / -1;
    order: -1;
    aspect-ratio: var(--peerix-screen-aspect-ratio, 16 / 9);
  }
  .tile[speaking] {
    outline-color: var(--peerix-speaking-color, #40c057);
  }
  .tile.screen {
    grid-column: 1 / -1;
    aspect-ratio: var(--peerix-screen-aspect-ratio, 16 / 9);
  }
  video {
    width: 100%;
    height: 100%;
    display: block;
    object-fit: var(--peerix-video-fit, cover);
  }
  .screen video {
    object-fit: contain;
  }
  video[hidden] {
    display: none;
  }
  .avatar {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    font-size: 2.5em;
    color: var(--peerix-overlay-color, #f8f9fa);
  }
  figcaption {
    position: absolute;
    left: 0.4em;
    bottom: 0.4em;
    right: 0.4em;
    display: flex;
    gap: 0.3em;
    flex-wrap: wrap;
    align-items: center;
    font-size: 0.85em;
  }
  /* Its own property: --peerix-recording-color is a text colour (light on the dark
     stage), too light behind the badge's white text. */
  .badge.recording {
    background: var(--peerix-recording-badge-background, #c92a2a);
  }
  .badge {
    background: var(--peerix-badge-background, rgb(0 0 0 / 0.65));
    color: var(--peerix-badge-color, #fff);
    border-radius: 4px;
    padding: 0.1em 0.45em;
  }
  :host {
    position: relative;
  }
  .prompt {
    position: absolute;
    z-index: 1;
    top: 50%;
    left: 50%;
    transform: translate(-50%, -50%);
    font-weight: 600;
  }
  .actions {
    position: absolute;
    top: 0.4em;
    right: 0.4em;
    display: flex;
    gap: 0.3em;
    opacity: 0;
    transition: opacity 0.15s;
  }
  .tile:hover .actions,
  .actions:focus-within {
    opacity: 1;
  }
  @media (hover: none) {
    .actions {
      opacity: 1;
    }
  }
  .actions button {
    min-height: 0;
    padding: 0.3em;
    display: inline-grid;
    border: 0;
    background: var(--peerix-badge-background, rgb(0 0 0 / 0.65));
    color: var(--peerix-badge-color, #fff);
  }
  .tile:fullscreen {
    border-radius: 0;
  }
  .tile:fullscreen video {
    object-fit: contain;
  }
  .empty {
    margin: 0;
    padding: 1em;
    color: var(--peerix-muted-text-color, #495057);
  }
`;
