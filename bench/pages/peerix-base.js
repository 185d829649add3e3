// Peerix at another commit (BENCH_BASE=<git ref>, extracted by compare.mjs), beside this tree in one run.
import { Peer } from '../../node_modules/.peerix-base/src/index.ts';
import { MqttDriver } from '../../node_modules/.peerix-base/src/drivers/mqtt.ts';
import { installPeerix } from './peerix-page.js';

installPeerix('peerix-base', { Peer, MqttDriver });
