import { css } from 'lit';

export const conferenceStyles = css`
  :host {
    display: block;
    color: var(--peerix-color, inherit);
    font-family: var(--peerix-font-family, inherit);
    background: var(--peerix-conference-background, transparent);
  }
  /* Dark panels too: every colour below is one of the documented custom properties, so a page can still override them. */
  :host([theme='dark']) {
    color-scheme: dark;
    padding: var(--peerix-gap, 0.75rem);
    --peerix-color: #f1f3f5;
    --peerix-conference-background: #1a1b1e;
    --peerix-control-color: #f1f3f5;
    --peerix-control-background: #2c2e33;
    --peerix-control-border-color: #909296;
    --peerix-muted-text-color: #c1c2c5;
    --peerix-link-color: #74c0fc;
    --peerix-chat-local-color: #74c0fc;
    --peerix-focus-ring: 3px solid #74c0fc;
    --peerix-error-color: #ff8787;
    --peerix-recording-color: #ff6b6b;
    --peerix-drawer-background: #25262b;
  }
  [part='stage'] {
    position: relative;
    background: var(--peerix-stage-background, #141517);
    color: var(--peerix-stage-color, #f1f3f5);
    --peerix-muted-text-color: #c1c2c5;
    border-radius: var(--peerix-stage-radius, 8px);
    padding: var(--peerix-gap, 0.75rem);
    /* Leave room below the grid so the corner tile does not cover the last row. */
    padding-bottom: calc(var(--peerix-gap, 0.75rem) * 2 + var(--peerix-self-view-width, clamp(112px, 22%, 240px)) * 0.75);
    min-height: var(--peerix-stage-min-height, 16rem);
    min-width: 0;
  }
  :host([hidden]) {
    display: none;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--peerix-gap, 0.75rem);
    margin-bottom: var(--peerix-gap, 0.75rem);
    font-size: 0.9em;
  }
  [part='recording-indicator'] {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    font-weight: 600;
    color: var(--peerix-recording-color, #c92a2a);
  }
  .rec-dot {
    width: 0.7em;
    height: 0.7em;
    border-radius: 50%;
    background: currentColor;
  }
  .layout {
    display: grid;
    gap: var(--peerix-gap, 0.75rem);
    grid-template-columns: minmax(0, 1fr) var(--peerix-sidebar-width, 320px);
  }
  :host(:not([chat-open])) .layout {
    grid-template-columns: minmax(0, 1fr);
  }
  [hidden] {
    display: none !important;
  }
  /* Your own tile: small, in the stage's bottom corner, over the others' grid. */
  .self {
    position: absolute;
    right: var(--peerix-gap, 0.75rem);
    bottom: var(--peerix-gap, 0.75rem);
    width: var(--peerix-self-view-width, clamp(112px, 22%, 240px));
    z-index: 1;
    border-radius: var(--peerix-tile-radius, 8px);
    box-shadow: 0 2px 12px rgb(0 0 0 / 0.5);
  }
  /* What you share on screen: the other corner. */
  .mine {
    right: auto;
    left: var(--peerix-gap, 0.75rem);
  }
  .mine video {
    display: block;
    width: 100%;
    aspect-ratio: 16 / 9;
    object-fit: contain;
    background: #000;
    border-radius: inherit;
  }
  peerix-local-media::part(controls) {
    display: none;
  }
  .caption {
    position: absolute;
    left: 0.3em;
    bottom: 0.3em;
    right: 0.3em;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em;
    font-size: 0.75em;
  }
  .badge {
    background: var(--peerix-badge-background, rgb(0 0 0 / 0.65));
    color: var(--peerix-badge-color, #fff);
    border-radius: 4px;
    padding: 0.1em 0.45em;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: center;
    gap: var(--peerix-gap, 0.75rem);
    margin-top: var(--peerix-gap, 0.75rem);
    padding: 0.5rem;
    border-radius: var(--peerix-stage-radius, 8px);
    background: var(--peerix-stage-background, #141517);
    --peerix-control-color: #f1f3f5;
    --peerix-control-background: #2c2e33;
    --peerix-control-border-color: #5c5f66;
    --peerix-focus-ring: 3px solid #74c0fc;
  }
  .bar button,
  peerix-record-button::part(button) {
    position: relative;
    width: 3rem;
    height: 3rem;
    padding: 0;
    border-radius: 50%;
    display: inline-grid;
    place-items: center;
  }
  .bar [part~='leave-button'] {
    width: 4rem;
    border-radius: 1.5rem;
    background: var(--peerix-leave-background, #c92a2a);
    border-color: transparent;
    color: #fff;
  }
  .bar [part~='chat-button'][aria-pressed='true'] {
    background: var(--peerix-chat-open-background, #1864ab);
    border-color: transparent;
  }
  .bar [part~='join'] {
    background: var(--peerix-join-background, #237032);
  }
  [part~='join'] .icon {
    transform: rotate(135deg);
  }
  .count {
    position: absolute;
    top: -0.3em;
    right: -0.3em;
    min-width: 1.3em;
    border-radius: 0.65em;
    font-size: 0.75em;
    line-height: 1.3em;
    background: var(--peerix-unread-background, #1c7ed6);
    color: var(--peerix-unread-color, #fff);
  }
  aside {
    display: flex;
    flex-direction: column;
    gap: var(--peerix-gap, 0.75rem);
    min-width: 0;
  }
  .left {
    display: grid;
    place-items: center;
    gap: var(--peerix-gap, 0.75rem);
    padding: 2rem 1rem;
    text-align: center;
  }
  /* Pre-join: your preview large with its own buttons and device menus, a name field and Join; no call yet. */
  :host([prejoin]) .layout {
    grid-template-columns: minmax(0, 1fr);
  }
  :host([prejoin]) [part='stage'] {
    padding-bottom: var(--peerix-gap, 0.75rem);
  }
  :host([prejoin]) .self {
    position: static;
    width: min(100%, 480px);
    margin: 0 auto;
    box-shadow: none;
  }
  :host([prejoin]) peerix-local-media::part(controls) {
    display: flex;
  }
  :host([prejoin]) peerix-remote-videos,
  :host([prejoin]) [part='sidebar'],
  :host([prejoin]) .bar {
    display: none;
  }
  .prejoin {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--peerix-gap, 0.5rem);
    margin-top: var(--peerix-gap, 0.75rem);
  }
  .prejoin label {
    display: inline-flex;
    flex-direction: column;
    gap: 0.2em;
    flex: 1;
    font-size: 0.85em;
  }
  input {
    font: inherit;
    font-size: 1rem;
    padding: 0.4em 0.6em;
    border-radius: var(--peerix-control-radius, 6px);
    border: 1px solid var(--peerix-control-border-color, #868e96);
    background: var(--peerix-control-background, #f1f3f5);
    color: var(--peerix-control-color, #212529);
  }
  [part~='join-button'] {
    background: var(--peerix-join-background, #237032);
    border-color: transparent;
    color: #fff;
  }
  [part~='copy-link'] {
    display: inline-grid;
    padding: 0.3em;
    margin-left: auto;
  }
  /* Phones: one column, tiles on the first screen, the bar pinned to the bottom, the chat a drawer over the stage. */
  @media (max-width: 720px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
    peerix-remote-videos:not([count='1']):not([count='2']) {
      --peerix-tile-min-width: 140px;
    }
    .bar {
      position: sticky;
      bottom: 0;
      z-index: 3;
      gap: 0.2rem;
      padding: 0.25rem;
      margin-top: 0;
      height: 3.6rem;
      box-sizing: border-box;
    }
    .bar button,
    peerix-record-button::part(button) {
      width: 2.4rem;
      height: 2.4rem;
    }
    .bar [part~='leave-button'] {
      width: 3rem;
    }
    /* Sticky just above the sticky bar: over the stage while the page scrolls. */
    [part='sidebar'] {
      position: sticky;
      bottom: 3.6rem;
      z-index: 2;
      max-height: 50vh;
      overflow: auto;
      padding: var(--peerix-gap, 0.75rem);
      background: var(--peerix-drawer-background, #fff);
      border-radius: 12px;
      box-shadow: 0 -4px 16px rgb(0 0 0 / 0.35);
    }
  }
`;
