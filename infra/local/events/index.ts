/** The local EventBridge: pattern engine, bus, queues (DESIGN.md §3 "events"). */
export * from './errors.js';
export * from './pattern.js';
export { parsePatternText } from './pattern-json.js';
export { type LeafValue, NUMERIC_LIMIT } from './leaf-matchers.js';
export * from './bus.js';
export { dispatchEventBridgeCall, SUPPORTED_OPERATIONS } from './api.js';
export * from './delivery.js';
export { evaluateJsonPath, renderTargetInput, validateTargetInput, type DeliveryContext, type InputTransformer, type TargetInputConfig } from './target-input.js';
export * from './queues.js';
export { targetDeliverer, type TargetServices } from './targets.js';
export { LocalSqsApi, SqsError } from './sqs-api.js';
