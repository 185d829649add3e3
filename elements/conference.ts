import { PeerixConference } from './conference.component.js';
import { defineElement } from './define.js';

export { PeerixConference };
defineElement('peerix-conference', PeerixConference);
