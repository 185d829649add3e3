export { PeerixProvider, type PeerixProviderOptions, type PeerixProviderEvents } from './provider.js';
