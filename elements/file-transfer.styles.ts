import { css } from 'lit';

/** The look of a transfer (`renderTransfer`), shared by `<peerix-file-share>` and `<peerix-chat files>`. */
export const transferStyles = css`
  .file {
    display: flex;
    flex-direction: column;
    gap: 0.2em;
    min-width: 0;
  }
  .line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.6em;
    min-width: 0;
  }
  [part~='file-name'],
  [part~='file-link'] {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part~='file-link'] {
    color: var(--peerix-link-color, #1864ab);
  }
  .meta,
  .status {
    font-size: 0.85em;
    color: var(--peerix-muted-text-color, #495057);
  }
  .problem {
    color: var(--peerix-error-color, #c92a2a);
  }
  progress {
    flex: 1;
    min-width: 6em;
    accent-color: var(--peerix-progress-color, #1c7ed6);
  }
`;
