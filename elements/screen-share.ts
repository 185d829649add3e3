import { PeerixScreenShare } from './screen-share.component.js';
import { defineElement } from './define.js';

export { PeerixScreenShare };
defineElement('peerix-screen-share', PeerixScreenShare);
