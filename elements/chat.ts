import { PeerixChat } from './chat.component.js';
import { defineElement } from './define.js';

export { PeerixChat };
export type { ChatEntry } from './chat.component.js';
defineElement('peerix-chat', PeerixChat);
