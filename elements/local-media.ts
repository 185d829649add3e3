import { PeerixLocalMedia } from './local-media.component.js';
import { defineElement } from './define.js';

export { PeerixLocalMedia };
export type { LocalMediaStatus } from './local-media.component.js';
defineElement('peerix-local-media', PeerixLocalMedia);
