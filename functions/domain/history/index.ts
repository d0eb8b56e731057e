/** Tamper-evident declaration history: canonical JSON (RFC 8785) and the SHA-256 event chain. */
export { canonicalJson, type JsonValue } from './canonical-json.js';
export {
  genesisHash,
  sealEvent,
  verifyChain,
  type ChainBreak,
  type ChainHead,
  type ChainVerification,
  type HistoryEvent,
  type UnsealedEvent,
} from './chain.js';
