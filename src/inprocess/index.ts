/**
 * In-process mode: a mirror reached by this process's HTTPS clients through nock, with no port and
 * no proxy — its app in this thread (./mirror.ts) or in a worker thread (./threaded.ts).
 */
export {
  startInProcessMirror,
  type InProcessMirror,
  type InProcessOptions,
  type InterceptingMirror,
  type NewSessionOptions,
} from './mirror';
export { startThreadedMirror } from './threaded';
export { ControlError, type ClockAnswer, type ControlAnswer, type ReceivedMessage, type SessionHandle } from './control';
export { interceptTwilio, TWILIO_ORIGIN, type Interception, type Pipeline, type TransportRequest, type TransportResponse } from './intercept';
export type { RecordingSummary } from './recording-summary';
