/**
 * Reads YAML cassettes of Ruby's VCR and of Python's vcrpy (`--from vcr` takes both):
 *
 * - VCR: `http_interactions:` of `request` (`method` in lower case, `uri`, `body: {encoding, string
 *   | base64_string}`, `headers: {Name: [values]}`), `response` (`status: {code, message}`,
 *   `headers`, `body`, `http_version`) and `recorded_at` (an RFC 1123 date); `recorded_with: VCR x`.
 * - vcrpy: `interactions:` of `request` (`method`, `uri`, `body` as a string, `!!binary` or null,
 *   `headers: {Name: [values]}`) and `response` (`status: {code, message}`, `headers`,
 *   `body: {string}`); `version: 1`. It keeps no times: to-raw.ts falls back to the `Date` header.
 *
 * Response bodies are stored as the wire bytes unless the tool was told to decode them
 * (`decode_compressed_response`), so a `Content-Encoding` is undone here when the bytes allow.
 * Old twilio-ruby versions put the credentials in the URI (`https://AC…:TOKEN@api.twilio.com/…`):
 * to-raw.ts takes them out.
 */
import { parse } from 'yaml';
import { decodeContent, headerValue, headersOf, invalidImport, isRecord, timeOf, type Header, type ToolExchange, type ToolRecording } from './exchange';

/** The bytes of a VCR body (`{string}` / `{base64_string}`), a vcrpy body, or a `!!binary` value. */
function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (isRecord(body)) {
    if (typeof body.base64_string === 'string') return Buffer.from(body.base64_string.replace(/\s+/g, ''), 'base64');
    return bodyBytes(body.string);
  }
  return Buffer.from(String(body), 'utf8');
}

function bodyText(body: unknown, headers: Header[]): string {
  const bytes = bodyBytes(body);
  return bytes ? decodeContent(bytes, headerValue(headers, 'content-encoding')) : '';
}

function interactionOf(i: Record<string, unknown>, source: string): ToolExchange | undefined {
  const req = i.request;
  const res = i.response;
  if (!isRecord(req) || typeof req.uri !== 'string' || typeof req.method !== 'string') return undefined;
  const requestHeaders = headersOf(req.headers);
  const exchange: ToolExchange = {
    source,
    method: req.method.toUpperCase(),
    url: req.uri,
    requestHeaders,
    requestBody: bodyText(req.body, requestHeaders),
  };
  const at = timeOf(i.recorded_at);
  if (at !== undefined) exchange.startedAt = at;
  const status = isRecord(res) && isRecord(res.status) ? Number(res.status.code) : NaN;
  if (isRecord(res) && Number.isInteger(status) && status > 0) {
    const headers = headersOf(res.headers);
    exchange.response = { status, headers, body: bodyText(res.body, headers) };
  }
  return exchange;
}

/** Parses a VCR or vcrpy YAML cassette. */
export function parseVcr(text: string, source: string): ToolRecording {
  let doc: unknown;
  try {
    // `binary` reads vcrpy's `!!binary` bodies; Ruby object tags (`!ruby/object:…`) read as plain maps.
    doc = parse(text, { customTags: ['binary'], logLevel: 'error', maxAliasCount: 1000 });
  } catch (err) {
    invalidImport(source, `not a YAML cassette (${(err as Error).message.split('\n')[0]})`);
  }
  const list = isRecord(doc) ? (doc.http_interactions ?? doc.interactions) : undefined;
  if (!Array.isArray(list)) invalidImport(source, 'not a VCR or vcrpy cassette: no http_interactions (VCR) or interactions (vcrpy)');
  const out: ToolRecording = { exchanges: [], unreadable: 0 };
  list.forEach((i, n) => {
    const exchange = isRecord(i) ? interactionOf(i, `${source}#${n + 1}`) : undefined;
    if (exchange) out.exchanges.push(exchange);
    else out.unreadable++;
  });
  return out;
}
