/** The local EventBridge: pattern engine, bus, queues (DESIGN.md §3 "events"). */
export * from './errors.js';
export * from './pattern.js';
export { parsePatternText } from './pattern-json.js';
export { type LeafValue, NUMERIC_LIMIT } from './leaf-matchers.js';
