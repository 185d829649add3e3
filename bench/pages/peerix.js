// Peerix (this tree) in the bench: see peerix-page.js.
import { Peer } from '../../src/index.ts';
import { MqttDriver } from '../../src/drivers/mqtt.ts';
import { tuneSendWindow } from '../../src/send-window.ts';
import { installPeerix } from './peerix-page.js';

installPeerix('peerix', { Peer, MqttDriver, tune: ({ high, low }) => tuneSendWindow(high, low) });
