/**
 * Twilio's debugger alerts for fetching and running TwiML (twilio-voice-and-more.md §9): never HTTP
 * errors to a REST caller, but entries of the call's (or delivery's) log, shown as
 * `{code, message}`. Titles and levels are the public error catalogue's (errors/NNNNN). A schema
 * or verb warning (12200, 13xxx) means Twilio skips the offending element or attribute and goes
 * on; a document failure (see `isDocumentFailure`) means nothing of the document runs.
 */

/** One alert of the catalogue. */
export interface AlertSpec {
  title: string;
  level: 'error' | 'warning';
}

/** The alerts mirra raises while fetching and executing TwiML. */
export const TWIML_ALERTS = {
  11100: { title: 'Invalid URL format', level: 'error' },
  11200: { title: 'HTTP retrieval failure', level: 'error' },
  11205: { title: 'HTTP connection failure', level: 'error' },
  11215: { title: 'HTTP too many redirects', level: 'error' },
  11750: { title: 'TwiML response body too large', level: 'error' },
  12100: { title: 'Document parse failure', level: 'error' },
  12101: { title: 'Invalid Twilio Markup XML version', level: 'error' },
  12102: { title: 'The root element must be Response', level: 'error' },
  12200: { title: 'Schema validation warning', level: 'warning' },
  12300: { title: 'Invalid Content-Type', level: 'error' },
  13210: { title: 'Dial: Invalid method value', level: 'warning' },
  13212: { title: 'Dial: Invalid timeout value', level: 'warning' },
  13213: { title: 'Dial: Invalid hangupOnStar value', level: 'warning' },
  13214: { title: 'Dial: Invalid callerId value', level: 'warning' },
  13215: { title: 'Dial: Invalid nested element', level: 'warning' },
  13216: { title: 'Invalid timeLimit value', level: 'warning' },
  13217: { title: 'Dial: Invalid record value', level: 'warning' },
  13218: { title: 'Dial: Invalid sequential value', level: 'warning' },
  13219: { title: 'Dial: Invalid answerOnBridge value', level: 'warning' },
  13221: { title: 'Dial->Number: Invalid method value', level: 'warning' },
  13222: { title: 'Dial->Number: Invalid sendDigits value', level: 'warning' },
  13223: { title: 'Dial: Invalid phone number format', level: 'warning' },
  13230: { title: 'Dial->Conference: Invalid muted value', level: 'warning' },
  13231: { title: 'Dial->Conference: Invalid endConferenceOnExit value', level: 'error' },
  13232: { title: 'Dial->Conference: Invalid startConferenceOnEnter value', level: 'warning' },
  13234: { title: 'Dial->Conference: Invalid waitMethod', level: 'warning' },
  13235: { title: 'Dial->Conference: Invalid beep value', level: 'warning' },
  13237: { title: 'Dial->Conference: Invalid Conference Name', level: 'warning' },
  13241: { title: 'Dial->SIP: Invalid method value', level: 'warning' },
  13242: { title: 'Dial->SIP: Invalid sendDigits value', level: 'warning' },
  13243: { title: 'Dial->SIP: Invalid SIP URI', level: 'warning' },
  13310: { title: 'Gather: Invalid finishOnKey value', level: 'warning' },
  13311: { title: 'Gather: Invalid finishOnKey value', level: 'warning' },
  13312: { title: 'Gather: Invalid method value', level: 'warning' },
  13313: { title: 'Gather: Invalid timeout value', level: 'warning' },
  13314: { title: 'Gather: Invalid numDigits value', level: 'warning' },
  13320: { title: 'Gather: Invalid nested verb', level: 'warning' },
  13321: { title: 'Gather->Say: Invalid voice value', level: 'warning' },
  13322: { title: 'Gather->Say: Invalid loop value', level: 'warning' },
  13326: { title: 'Gather: Invalid input value', level: 'warning' },
  13512: { title: 'Gather element has an invalid "language" attribute value', level: 'warning' },
  13410: { title: 'Play: Invalid loop value', level: 'warning' },
  13510: { title: 'Say: Invalid loop value', level: 'warning' },
  13511: { title: 'Say: Invalid voice value', level: 'warning' },
  13520: { title: 'Say: Invalid text', level: 'warning' },
  13521: { title: '<Say> element character limits exceeded', level: 'warning' },
  13610: { title: 'Record: Invalid method value', level: 'warning' },
  13611: { title: 'Record: Invalid timeout value', level: 'warning' },
  13612: { title: 'Record: Invalid maxLength value', level: 'warning' },
  13613: { title: 'Record: Invalid finishOnKey value', level: 'warning' },
  13614: { title: 'Record: Invalid transcribe value', level: 'warning' },
  13615: { title: 'Record: maxLength too high for transcription', level: 'warning' },
  13616: { title: 'Record: playBeep must be true or false', level: 'warning' },
  13621: { title: "Invalid 'recordingStatusCallbackEvent'", level: 'error' },
  13710: { title: 'Redirect: Invalid method value', level: 'warning' },
  13810: { title: 'Reject: Invalid cause', level: 'warning' },
  13910: { title: 'Pause: Invalid length value', level: 'warning' },
  14101: { title: 'Invalid "To" attribute', level: 'warning' },
  14102: { title: 'Invalid "From" attribute', level: 'warning' },
  14103: { title: 'Invalid Body', level: 'warning' },
  14104: { title: 'Invalid Method attribute', level: 'warning' },
  14105: { title: 'Invalid statusCallback attribute', level: 'warning' },
  14201: { title: 'Enqueue: Invalid method value', level: 'error' },
  14202: { title: 'Enqueue: Invalid waitUrl', level: 'error' },
  14203: { title: 'Enqueue: Invalid Enqueue action url', level: 'error' },
  14204: { title: 'Enqueue: Queue name too short', level: 'error' },
  14205: { title: 'Enqueue: Queue name too long', level: 'error' },
  14206: { title: 'Enqueue: Invalid waitUrlMethod value', level: 'error' },
} satisfies Record<number, AlertSpec>;

/** A code of {@link TWIML_ALERTS}. */
export type TwimlAlertCode = keyof typeof TWIML_ALERTS;

/** A problem found in or while running a document: logged, never thrown. */
export interface TwimlIssue {
  code: number;
  message: string;
}

/** An issue with the catalogue's title and what exactly was wrong: `Gather: Invalid timeout value: "x"`. */
export function alert(code: TwimlAlertCode, detail?: string): TwimlIssue {
  const title = TWIML_ALERTS[code].title;
  return { code, message: detail ? `${title}: ${detail}` : title };
}
