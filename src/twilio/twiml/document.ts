/**
 * Reading a TwiML answer as a document (docs/voice/twiml, twilio-voice-and-more.md §9): strict XML
 * ({@link parseXml}), a `<Response>` root (12102), a valid `version` attribute on it if any
 * (12101, the legacy TwiML version marker). What the verbs mean is the business of the messaging
 * and voice interpreters. Pure.
 */
import { alert, type TwimlIssue } from './alerts';
import { parseXml, XmlError, type ParseXmlOptions, type XmlElement } from './xml';

/** A document that can run, or the one issue that stops it. */
export type TwimlDocument = { ok: true; root: XmlElement } | { ok: false; issue: TwimlIssue };

/** TwiML versions `<Response version>` may name (the two API versions TwiML ever had). */
const VERSIONS = new Set(['2008-08-01', '2010-04-01']);

/** Codes of a document that cannot run at all: Twilio then tries the fallback URL, else gives up. */
const DOCUMENT_FAILURES: ReadonlySet<number> = new Set([11750, 12100, 12101, 12102]);

/** True for an issue that means nothing of the document ran (the fallback URL is due). */
export function isDocumentFailure(code: number): boolean {
  return DOCUMENT_FAILURES.has(code);
}

/** Parses `text` as a TwiML document: its `<Response>` root, or why it cannot run. */
export function readTwimlDocument(text: string, options?: ParseXmlOptions): TwimlDocument {
  let root: XmlElement;
  try {
    root = parseXml(text, options);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    return { ok: false, issue: alert(err.kind === 'too-large' ? 11750 : 12100, err.message) };
  }
  if (root.name !== 'Response') return { ok: false, issue: alert(12102, `the root element is <${root.name}>, not <Response>`) };
  const version = root.attrs.version;
  if (version !== undefined && !VERSIONS.has(version)) return { ok: false, issue: alert(12101, `version="${version}"`) };
  return { ok: true, root };
}
