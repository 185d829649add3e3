import { PeerixFileShare } from './file-share.component.js';
import { defineElement } from './define.js';

export { PeerixFileShare };
export type { Transfer, TransferState } from './file-transfers.js';
defineElement('peerix-file-share', PeerixFileShare);
