import { PeerixRemoteVideos } from './remote-videos.component.js';
import { defineElement } from './define.js';

export { PeerixRemoteVideos };
defineElement('peerix-remote-videos', PeerixRemoteVideos);
