export { Mixer, type MixerOptions, type MixerSource } from './mixer.js';
export type { MixerLayout } from './layout.js';
