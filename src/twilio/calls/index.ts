/**
 * The Voice resource family (2010 `Calls.json`, `Recordings.json`, `Conferences.json` and what
 * Voice keeps under them: recording control, participants, transcriptions, notifications;
 * twilio-voice-and-more.md §1–§9): calls ring, are answered and end on the session clock
 * (./lifecycle.ts), their TwiML is fetched, signed, and run by the interpreter (./interpreter.ts)
 * through the runner (./runner/), recordings live and end by ./recordings/lifecycle.ts,
 * participants added by REST are calls that join their conference when answered, status
 * callbacks go out through the outbox, and a test drives and reads calls on the control plane
 * (`POST /_mirra/simulate` `call.*`, `GET /_mirra/calls`). The generic engine's real-time
 * operations on a call (Streams, Siprec, …) are checked here first (./overrides.ts).
 *
 * LIMITATIONS (the README lists them in full): no audio (durations are estimates), no media for
 * recordings, whisper URLs, conference wait, hold and announce URLs and queue wait URLs are not
 * run, a call's Events, Streams, Payments, Siprec and real-time Transcriptions are the generic
 * engine's records, and TwiML fetch redirects (3xx) are not followed.
 */
import type { ResourceModule } from '../../core/resource-module';
import type { OverrideSource } from '../generic/engine';
import type * as Overrides from './overrides';
import type { Session } from '../../session/session';
import { conferenceRoutes } from './conferences/routes';
import { recordingControlRoutes } from './recordings/control-routes';
import { recordingRoutes } from './recordings/routes';
import { transcriptionRoutes } from './recordings/transcription-routes';
import { notificationRoutes } from './notifications';
import { callReplay } from './replay';
import { callRoutes } from './routes';
import { CallEngine, type CallPorts } from './runner/engine';
import { statusCallbackAnswered, twimlFetched } from './runner/responses';
import { STATUS_RESPONSE, STEP_TASK, TWIML_RESPONSE, WAIT_TASK, type StepRef, type WaitRef } from './runner/kinds';
import { callSettings } from './runner/settings';
import { callSimulate } from './simulate';
import { callDetail, deliveryViews, listCallViews, transcriptRows } from './transcript';
import { toE164 } from '../phone';

const party = (v: string | undefined) => (v ? (toE164(v) ?? v) : undefined);

/** The Voice module's overrides of generic operations on a call (./overrides.ts); their code loads with the engine. */
export function callOverrides(): OverrideSource {
  return () => (require('./overrides') as typeof Overrides).CALL_OVERRIDES;
}

/** The Voice module. */
export function callsResource(ports: CallPorts): ResourceModule {
  return {
    name: 'calls',
    domains: ['api'],
    routes(api) {
      callRoutes(api, ports);
      recordingRoutes(api);
      recordingControlRoutes(api, ports);
      transcriptionRoutes(api);
      notificationRoutes(api);
      conferenceRoutes(api, ports);
    },
    // A bad `calls` section fails when the session is made, not at its first call.
    seed: (session: Session) => void callSettings(session),
    control(app) {
      app.get<{ Querystring: { to?: string; from?: string; sid?: string } }>('/_mirra/calls', async (request) => ({
        calls: listCallViews(request.session, { to: party(request.query.to), from: party(request.query.from), sid: request.query.sid }),
      }));
    },
    tasks: {
      [STEP_TASK]: (session: Session, ref: StepRef, at: number) => CallEngine.run(ports, session, (e) => e.step(ref, at)),
      [WAIT_TASK]: (session: Session, ref: WaitRef, at: number) => CallEngine.run(ports, session, (e) => e.interpret(ref.sid, ref.event, at)),
    },
    responses: {
      [TWIML_RESPONSE]: (session, delivery, result) => CallEngine.run(ports, session, (e) => twimlFetched(e, delivery, result)),
      [STATUS_RESPONSE]: (session, delivery, result) => CallEngine.run(ports, session, (e) => statusCallbackAnswered(e, delivery, result)),
    },
    simulate: callSimulate(ports),
    replay: callReplay(ports),
    inspect: {
      deliveries: deliveryViews,
      rows: transcriptRows,
      detail: { calls: callDetail },
    },
  };
}
