// What <peerix-remote-videos> needs only once it shows a tile: one chunk in the
// CDN build, imported with the first tile (pages alone in a room never fetch it).
export { VideoRequests } from './remote-videos.requests.js';
export { SpeakingMeters } from './remote-videos.speaking.js';
