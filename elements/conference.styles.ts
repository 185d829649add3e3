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
  }
  [part='stage'] {
    background: var(--peerix-stage-background, #141517);
    color: var(--peerix-stage-color, #f1f3f5);
    --peerix-muted-text-color: #c1c2c5;
    border-radius: var(--peerix-stage-radius, 8px);
    padding: var(--peerix-gap, 0.75rem);
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
  @media (max-width: 720px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  aside {
    display: flex;
    flex-direction: column;
    gap: var(--peerix-gap, 0.75rem);
    min-width: 0;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: var(--peerix-gap, 0.5rem);
    align-items: center;
  }
  peerix-remote-videos[hidden] {
    display: none;
  }
  .left {
    display: grid;
    place-items: center;
    gap: var(--peerix-gap, 0.75rem);
    padding: 2rem 1rem;
    text-align: center;
  }
  .status {
    font-size: 0.85em;
    color: var(--peerix-muted-text-color, #495057);
  }
`;
