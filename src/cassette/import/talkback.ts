/**
 * Reads talkback tapes: one exchange per file, written by talkback with `JSON5.stringify` (keys
 * unquoted, strings in single quotes with backslash escapes, trailing commas), so read with the
 * `json5` package — the one talkback itself reads them with.
 *
 * A tape is `{ meta, req, res }`: `meta.createdAt` (ISO), `meta.host` (the origin talkback proxied
 * to: `req.url` is relative to it), `req` (`url`, `method`, `headers` with one value each — talkback
 * never keeps `host` — and `body`), `res` (`status`, `headers` with lists of values, `body`). A body
 * is plain text, or a JSON value for a JSON content type, when `meta.reqHumanReadable` /
 * `meta.resHumanReadable` says so (already uncompressed); otherwise it is the base64 of the bytes.
 */
import { MirraError } from '../../errors';
import { decodeContent, headerValue, headersOf, invalidImport, isRecord, timeOf, type Header, type ToolExchange, type ToolRecording } from './exchange';

/** The JSON5 reader: talkback's own dependency, resolved from the project that has talkback. */
function json5(): { parse(text: string): unknown } {
  try {
    return require('json5') as { parse(text: string): unknown };
  } catch {
    throw new MirraError('MIRRA_ERR_INVALID_IMPORT', 'talkback tapes are JSON5, and the json5 package (which talkback installs) cannot be found', 'install it where mirra runs: `npm install --save-dev json5`');
  }
}

function bodyText(body: unknown, humanReadable: boolean, headers: Header[]): string {
  if (body === undefined || body === null) return '';
  if (humanReadable) return typeof body === 'string' ? body : JSON.stringify(body);
  return decodeContent(Buffer.from(String(body), 'base64'), headerValue(headers, 'content-encoding'));
}

/** Parses one tape file's text. */
export function parseTalkback(text: string, source: string): ToolRecording {
  let tape: unknown;
  try {
    tape = JSON.parse(text);
  } catch {
    try {
      tape = json5().parse(text);
    } catch (err) {
      if (err instanceof MirraError) throw err;
      invalidImport(source, `not a talkback tape: not JSON5 (${(err as Error).message})`);
    }
  }
  if (!isRecord(tape) || !isRecord(tape.req) || !isRecord(tape.meta)) invalidImport(source, 'not a talkback tape: no meta and req');
  const { meta, req, res } = tape as { meta: Record<string, unknown>; req: Record<string, unknown>; res: unknown };
  if (typeof req.url !== 'string' || typeof meta.host !== 'string') return { exchanges: [], unreadable: 1 };
  const requestHeaders = headersOf(req.headers);
  const exchange: ToolExchange = {
    source,
    method: typeof req.method === 'string' ? req.method.toUpperCase() : 'GET',
    url: meta.host.replace(/\/+$/, '') + req.url,
    requestHeaders,
    requestBody: bodyText(req.body, meta.reqHumanReadable === true, requestHeaders),
  };
  const at = timeOf(meta.createdAt);
  if (at !== undefined) exchange.startedAt = at;
  if (isRecord(res) && typeof res.status === 'number' && res.status > 0) {
    const headers = headersOf(res.headers);
    exchange.response = { status: res.status, headers, body: bodyText(res.body, meta.resHumanReadable === true, headers) };
  }
  return { exchanges: [exchange], unreadable: 0 };
}
