/** Every driver's client library, each loaded on first use (the CDN file's set). */
import './mqtt.js';
import './nats.js';
import './socket-io.js';
import './supabase.js';
import './centrifuge.js';
