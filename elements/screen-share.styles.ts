import { css } from 'lit';

export const screenShareStyles = css`
  :host {
    display: inline-block;
  }
  :host([hidden]) {
    display: none;
  }
`;
