export {
  SignalMapping,
  defaultSignalMapping,
  CONSENT_MODE_TYPES,
  TCF_PURPOSE_IDS,
  TCF_SPECIAL_FEATURE_IDS,
} from "./mapping";
export type { ConsentModeType } from "./mapping";
export { Signal, parseSignal, SEGMENT_CONSENT_EVENT, SIGNAL_SOURCES } from "./signal";
export type { DesiredConsent, SignalInput, SignalSource } from "./signal";
export { SignalError } from "./errors";
export { decodeSignal } from "./decode";
export { signalToEvents, signalEventId, consentTransition } from "./to-events";
export type { ConsentState, ConsentEventType, SignalEvent } from "./to-events";
