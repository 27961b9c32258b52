/**
 * Changing a participant (REST `POST …/Participants/{CallSid}.json`; docs/voice/api/conference-participant-resource):
 * muting, holding, coaching, ending the conference on exit. Pure: the participant after the change
 * and the conference status callback events it raises (twilio-voice-and-more.md §7:
 * `participant-mute`/`-unmute` for the `mute` subscription, `participant-hold`/`-unhold` for
 * `hold`, `participant-modify` for `modify` when coaching changes; UNCONFIRMED that other changes
 * raise none).
 */
import type { ParticipantRecord } from './types';

/** What an update asks to change (absent: left as it is). */
export interface ParticipantChanges {
  muted?: boolean;
  hold?: boolean;
  endConferenceOnExit?: boolean;
  coaching?: boolean;
  callSidToCoach?: string | null;
}

/** The participant after `changes`, and the status callback events they raise, in order. */
export function changeParticipant(p: ParticipantRecord, changes: ParticipantChanges, now: number): { next: ParticipantRecord; events: string[] } {
  const events: string[] = [];
  const next: ParticipantRecord = { ...p, dateUpdated: now };
  if (changes.muted !== undefined && changes.muted !== p.muted) {
    next.muted = changes.muted;
    events.push(changes.muted ? 'participant-mute' : 'participant-unmute');
  }
  if (changes.hold !== undefined && changes.hold !== p.hold) {
    next.hold = changes.hold;
    events.push(changes.hold ? 'participant-hold' : 'participant-unhold');
  }
  if (changes.endConferenceOnExit !== undefined) next.endConferenceOnExit = changes.endConferenceOnExit;
  const coaching = changes.coaching ?? (changes.callSidToCoach ? true : p.coaching ?? false);
  const toCoach = coaching ? (changes.callSidToCoach ?? p.callSidToCoach ?? null) : null;
  if (coaching !== (p.coaching ?? false) || toCoach !== (p.callSidToCoach ?? null)) {
    next.coaching = coaching;
    next.callSidToCoach = toCoach;
    events.push('participant-modify');
  }
  return { next, events };
}
