/**
 * Messaging TwiML (docs/messaging/twiml): what an inbound webhook's answer asks for. The root is
 * `<Response>`; its verbs are `<Message>` (legacy alias `<Sms>`) with `to`/`from`/`action`/
 * `method`/`statusCallback` attributes, text or `<Body>` and up to 10 `<Media>` nouns, and
 * `<Redirect method>` which hands control to another document (later verbs never run). Problems
 * are Twilio's debugger codes: 12100 parse failure (11750 too large, 12101 bad version, 12102 a
 * root other than `<Response>`; see ../twiml/document.ts), 12200 schema warning, 14103 empty
 * message, 14104 bad method, 14110 a verb messaging does not know. Pure: the caller executes the
 * plan.
 */
import type { TwimlIssue } from '../twiml/alerts';
import { readTwimlDocument } from '../twiml/document';
import { isElement, ownText, type XmlElement } from '../twiml/xml';

export type { TwimlIssue } from '../twiml/alerts';

/** A `<Message>` to send. URLs may be relative to the document's URL. */
export interface MessageAction {
  verb: 'Message';
  to: string | null;
  from: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
}

/** A `<Redirect>` to fetch next. */
export interface RedirectAction {
  verb: 'Redirect';
  url: string;
  method: 'GET' | 'POST';
}

/** One step of the plan. */
export type TwimlAction = MessageAction | RedirectAction;

/** What to do, and what was wrong. A document failure (`isDocumentFailure`) means nothing could be done. */
export interface TwimlPlan {
  actions: TwimlAction[];
  issues: TwimlIssue[];
}

/** Twilio accepts at most 10 media per message. */
const MAX_MEDIA = 10;
const MESSAGE_ATTRS = new Set(['to', 'from', 'action', 'method', 'statusCallback']);

function methodOf(el: XmlElement, issues: TwimlIssue[]): 'GET' | 'POST' {
  const raw = el.attrs.method;
  if (raw === undefined) return 'POST';
  const m = raw.toUpperCase();
  if (m === 'GET' || m === 'POST') return m;
  issues.push({ code: 14104, message: `Invalid method "${raw}" on <${el.name}>: only GET or POST` });
  return 'POST';
}

function messageOf(el: XmlElement, issues: TwimlIssue[]): MessageAction | null {
  for (const attr of Object.keys(el.attrs)) {
    if (!MESSAGE_ATTRS.has(attr)) issues.push({ code: 12200, message: `Attribute "${attr}" is not allowed on <${el.name}>` });
  }
  methodOf(el, issues);
  const bodies: string[] = [];
  const mediaUrls: string[] = [];
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (child.name === 'Body') bodies.push(ownText(child));
    else if (child.name === 'Media') mediaUrls.push(ownText(child).trim());
    else issues.push({ code: 12200, message: `<${child.name}> is not allowed inside <${el.name}>` });
  }
  const body = (ownText(el) + bodies.join('')).trim();
  const media = mediaUrls.filter((u) => u !== '');
  if (media.length > MAX_MEDIA) issues.push({ code: 12200, message: `<${el.name}> has ${media.length} <Media>; only the first ${MAX_MEDIA} are sent` });
  if (!body && media.length === 0) {
    issues.push({ code: 14103, message: `Invalid Body: <${el.name}> has no body and no media` });
    return null;
  }
  // `action` is the older way to be told the reply's status; both become its status callback.
  const statusCallback = el.attrs.statusCallback ?? el.attrs.action ?? null;
  return { verb: 'Message', to: el.attrs.to ?? null, from: el.attrs.from ?? null, body, mediaUrls: media.slice(0, MAX_MEDIA), statusCallback };
}

/** Interprets a TwiML document. */
export function interpretTwiml(text: string): TwimlPlan {
  const issues: TwimlIssue[] = [];
  const doc = readTwimlDocument(text);
  if (!doc.ok) return { actions: [], issues: [doc.issue] };
  const root = doc.root;
  const actions: TwimlAction[] = [];
  for (const child of root.children) {
    if (!isElement(child)) {
      if (child.text.trim()) issues.push({ code: 12200, message: 'Text is not allowed directly inside <Response>' });
      continue;
    }
    if (child.name === 'Message' || child.name === 'Sms') {
      const action = messageOf(child, issues);
      if (action) actions.push(action);
    } else if (child.name === 'Redirect') {
      const url = ownText(child).trim();
      const method = methodOf(child, issues);
      if (!url) {
        issues.push({ code: 12200, message: '<Redirect> needs a URL' });
        continue;
      }
      actions.push({ verb: 'Redirect', url, method });
      break; // control passes to the other document
    } else {
      issues.push({ code: 14110, message: `Invalid Verb for Message Reply: <${child.name}> (valid verbs are Message, Sms and Redirect)` });
    }
  }
  return { actions, issues };
}
