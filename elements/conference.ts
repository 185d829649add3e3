import { PeerixConference } from './conference.component.js';
import { defineElement } from './define.js';

export { PeerixConference };
export type { ConferenceLabels } from './conference.component.js';
defineElement('peerix-conference', PeerixConference);
