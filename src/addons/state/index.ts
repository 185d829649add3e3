export { SharedState, type SharedStateOptions, type SharedStateEvents } from './shared-state.js';
export type { JsonValue } from './json-value.js';
