import { css } from 'lit';

/** Button and form control look shared by the elements; every value is a custom property. */
export const controlStyles = css`
  button,
  select {
    font: inherit;
    color: var(--peerix-control-color, #212529);
    background: var(--peerix-control-background, #f1f3f5);
    border: 1px solid var(--peerix-control-border-color, #868e96);
    border-radius: var(--peerix-control-radius, 6px);
    padding: var(--peerix-control-padding, 0.4em 0.8em);
    min-height: 2.25em;
  }
  button {
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    background: var(--peerix-control-active-background, #c92a2a);
    color: var(--peerix-control-active-color, #fff);
    border-color: var(--peerix-control-active-background, #c92a2a);
  }
  button:disabled,
  select:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: var(--peerix-focus-ring, 3px solid #1c7ed6);
    outline-offset: 2px;
  }
  .icon {
    width: 1.4em;
    height: 1.4em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
