import { css } from 'lit';

export const roomStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
`;
