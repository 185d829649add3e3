import { PeerixRecordButton } from './record-button.component.js';
import { defineElement } from './define.js';

export { PeerixRecordButton };
defineElement('peerix-record-button', PeerixRecordButton);
