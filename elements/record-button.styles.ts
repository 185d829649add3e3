import { css } from 'lit';

export const recordButtonStyles = css`
  :host {
    display: inline-flex;
    align-items: center;
    gap: var(--peerix-gap, 0.5rem);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
  }
  :host([recording]) .dot {
    color: var(--peerix-recording-color, #fa5252);
  }
  :host([recording]) button {
    color: var(--peerix-recording-color, #fa5252);
  }
  a {
    color: var(--peerix-link-color, #1864ab);
  }
`;
