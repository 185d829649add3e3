import { css } from 'lit';

export const fileShareStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: var(--peerix-gap, 0.5rem);
    min-width: 0;
    color: var(--peerix-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .heading {
    font-weight: 600;
  }
  .drop {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5em 1em;
    padding: 1em;
    border: var(--peerix-drop-zone-border, 2px dashed #868e96);
    border-radius: var(--peerix-control-radius, 6px);
    text-align: center;
  }
  .drop:focus-visible {
    outline: var(--peerix-focus-ring, 3px solid #1c7ed6);
    outline-offset: 2px;
  }
  .drop.dragging {
    background: var(--peerix-drop-zone-active-background, rgba(28, 126, 214, 0.12));
  }
  .choose {
    display: inline-flex;
    flex-direction: column;
    gap: 0.2em;
    font-size: 0.9em;
  }
  input[type='file'] {
    font: inherit;
    max-width: 100%;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.5em;
  }
  li {
    padding: 0.4em 0;
    border-bottom: 1px solid var(--peerix-divider-color, rgba(134, 142, 150, 0.35));
  }
  [part~='clear-button'] {
    align-self: flex-start;
  }
`;
