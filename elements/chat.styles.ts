import { css } from 'lit';

export const chatStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    color: var(--peerix-color, inherit);
    background: var(--peerix-chat-background, transparent);
  }
  :host([hidden]) {
    display: none;
  }
  .toggle {
    display: flex;
    justify-content: space-between;
    align-items: center;
    width: 100%;
    font-weight: 600;
  }
  .unread {
    background: var(--peerix-unread-background, #c92a2a);
    color: var(--peerix-unread-color, #fff);
    border-radius: 999px;
    padding: 0 0.5em;
    font-size: 0.85em;
  }
  .log {
    flex: 1;
    overflow-y: auto;
    min-height: var(--peerix-chat-min-height, 8rem);
    max-height: var(--peerix-chat-max-height, 24rem);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0.5em 0;
  }
  li {
    padding: 0.25em 0;
  }
  .author {
    font-weight: 600;
  }
  .local .author {
    color: var(--peerix-chat-local-color, #1864ab);
  }
  time {
    font-size: 0.8em;
    color: var(--peerix-muted-text-color, #495057);
    margin-inline-start: 0.4em;
  }
  .text {
    margin: 0.1em 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  form {
    display: flex;
    gap: var(--peerix-gap, 0.5rem);
  }
  input {
    flex: 1;
    min-width: 0;
    font: inherit;
    padding: var(--peerix-control-padding, 0.4em 0.8em);
    border: 1px solid var(--peerix-control-border-color, #868e96);
    border-radius: var(--peerix-control-radius, 6px);
  }
  [hidden] {
    display: none !important;
  }
`;
