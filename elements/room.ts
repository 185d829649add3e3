import { PeerixRoom } from './room.component.js';
import { defineElement } from './define.js';

export { PeerixRoom };
export type { RoomState } from './room.component.js';
defineElement('peerix-room', PeerixRoom);
