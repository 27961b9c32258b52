/**
 * Reads a HAR 1.2 file: what Polly.js's persister writes (`recordings/NAME_HASH/recording.har`),
 * what a browser's dev tools export, and what `mirra cassettes export --to har` writes.
 *
 * Polly specifics handled here: a response sent with a `Content-Encoding` is kept as the wire
 * bytes, `content.encoding: "base64"` and `content.text` a JSON list of base64 chunks; any other
 * base64 content is one base64 string. Polly keeps every request header, Authorization included
 * (to-raw.ts drops them). A response with status 0 is a request that got no answer (HAR's
 * convention; mirra's export writes its faults so, `_fault` saying which).
 */
import { decodeContent, headerValue, invalidImport, isRecord, timeOf, type Header, type ToolExchange, type ToolRecording } from './exchange';

function harHeaders(list: unknown): Header[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((h): Header => [String(h.name ?? ''), String(h.value ?? '')]);
}

/** The body text of a HAR `postData`: its text, or its params form-encoded. */
function postDataText(postData: unknown): string {
  if (!isRecord(postData)) return '';
  if (typeof postData.text === 'string') return postData.text;
  if (Array.isArray(postData.params)) {
    return new URLSearchParams(postData.params.filter(isRecord).map((p): [string, string] => [String(p.name ?? ''), String(p.value ?? '')])).toString();
  }
  return '';
}

/** The response body of a HAR `content`, uncompressed. */
function contentText(content: unknown, headers: Header[]): string {
  if (!isRecord(content) || typeof content.text !== 'string') return '';
  const text = content.text;
  if (content.encoding !== 'base64') return text;
  let bytes: Buffer;
  // Polly: a content-encoded body is a JSON list of base64 chunks, one per chunk received.
  if (text.startsWith('[')) {
    try {
      const chunks = JSON.parse(text) as unknown;
      bytes = Array.isArray(chunks) ? Buffer.concat(chunks.map((c) => Buffer.from(String(c), 'base64'))) : Buffer.from(text, 'base64');
    } catch {
      bytes = Buffer.from(text, 'base64');
    }
  } else bytes = Buffer.from(text, 'base64');
  return decodeContent(bytes, headerValue(headers, 'content-encoding'));
}

function entryOf(e: Record<string, unknown>, source: string): ToolExchange | undefined {
  const req = e.request;
  const res = e.response;
  if (!isRecord(req) || typeof req.method !== 'string' || typeof req.url !== 'string') return undefined;
  const exchange: ToolExchange = {
    source,
    method: req.method,
    url: req.url,
    requestHeaders: harHeaders(req.headers),
    requestBody: postDataText(req.postData),
    startedAt: timeOf(e.startedDateTime),
  };
  if (typeof e.time === 'number' && e.time >= 0) exchange.durationMs = Math.round(e.time);
  if (isRecord(res) && typeof res.status === 'number' && res.status > 0) {
    const headers = harHeaders(res.headers);
    exchange.response = { status: res.status, headers, body: contentText(res.content, headers) };
  } else if (isRecord(res) && res._fault === 'timeout') {
    exchange.fault = 'timeout';
  }
  return exchange;
}

/** Parses a HAR file's text. */
export function parseHar(text: string, source: string): ToolRecording {
  let har: unknown;
  try {
    har = JSON.parse(text);
  } catch (err) {
    invalidImport(source, `not a HAR file: not JSON (${(err as Error).message})`);
  }
  const log = isRecord(har) ? har.log : undefined;
  if (!isRecord(log) || !Array.isArray(log.entries)) invalidImport(source, 'not a HAR file: no log.entries');
  const out: ToolRecording = { exchanges: [], unreadable: 0 };
  const page = Array.isArray(log.pages) && isRecord(log.pages[0]) ? log.pages[0] : undefined;
  const start = timeOf(page?.startedDateTime);
  if (start !== undefined) out.startedAt = start;
  log.entries.forEach((e, i) => {
    const exchange = isRecord(e) ? entryOf(e, `${source}#${i + 1}`) : undefined;
    if (exchange) out.exchanges.push(exchange);
    else out.unreadable++;
  });
  return out;
}
