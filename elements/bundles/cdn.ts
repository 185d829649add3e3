/**
 * dist/peerix-elements.js (the CDN file): every element and the engine, with
 * every driver's client library as a chunk beside it, loaded on first use.
 */
import '../drivers/all.js';

export * from '../index.js';
