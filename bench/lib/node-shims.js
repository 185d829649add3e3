// Globals simple-peer's dependencies expect from Node (injected by esbuild).
import { Buffer } from 'buffer';
import process from 'process/browser.js';

export { Buffer, process };
