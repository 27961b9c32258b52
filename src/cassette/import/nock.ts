/**
 * Reads nock's recordings: the JSON list `nock.back` writes as a fixture, and what
 * `nock.recorder.rec({ output_objects: true })` returns from `nock.recorder.play()` (saved as JSON) —
 * the same definitions: `scope` (origin), `method`, `path` (with the query), `body`, `status`,
 * `response`, `rawHeaders` (an object since nock 14, a flat list before) or `headers`, and
 * `reqheaders` when recorded with `enable_reqheaders_recording`. The code-string form of the
 * recorder (without `output_objects`) is not data and is refused.
 *
 * Bodies as nock keeps them: JSON is parsed (written back as JSON text here), a body that is not
 * UTF-8 is hex (`responseIsBinary`), and a response sent with a `Content-Encoding` is a list of
 * hex chunks of the wire bytes. nock keeps no times: to-raw.ts falls back to the `Date` header.
 */
import { decodeContent, headerValue, headersOf, invalidImport, isRecord, type ToolExchange, type ToolRecording } from './exchange';

function requestBody(body: unknown): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function responseBody(def: Record<string, unknown>, coding: string | undefined): string {
  const r = def.response;
  if (Array.isArray(r) && r.every((c) => typeof c === 'string')) return decodeContent(Buffer.concat(r.map((c) => Buffer.from(c, 'hex'))), coding);
  if (typeof r === 'string') return def.responseIsBinary === true ? decodeContent(Buffer.from(r, 'hex'), coding) : r;
  if (r === undefined || r === null) return '';
  return JSON.stringify(r);
}

function definitionOf(def: Record<string, unknown>, source: string): ToolExchange | undefined {
  if (typeof def.scope !== 'string' || typeof def.path !== 'string') return undefined;
  const headers = headersOf(def.rawHeaders ?? def.headers);
  const status = typeof def.status === 'number' ? def.status : 200; // nock's default reply status
  return {
    source,
    method: typeof def.method === 'string' ? def.method : 'GET',
    url: def.scope.replace(/\/+$/, '') + def.path,
    requestHeaders: headersOf(def.reqheaders),
    requestBody: requestBody(def.body),
    response: { status, headers, body: responseBody(def, headerValue(headers, 'content-encoding')) },
  };
}

/** Parses a nock fixture or saved recorder output. */
export function parseNock(text: string, source: string): ToolRecording {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    invalidImport(source, `not nock JSON (${(err as Error).message}); record with nock.back, or nock.recorder.rec({ output_objects: true }) and save play() as JSON`);
  }
  const defs = Array.isArray(value) ? value : isRecord(value) ? [value] : undefined;
  if (!defs) invalidImport(source, 'not nock JSON: expected a list of recorded definitions');
  if (defs.some((d) => typeof d === 'string')) invalidImport(source, 'nock recorded code strings: record with output_objects: true (nock.back does)');
  const out: ToolRecording = { exchanges: [], unreadable: 0 };
  defs.forEach((d, i) => {
    const exchange = isRecord(d) ? definitionOf(d, `${source}#${i + 1}`) : undefined;
    if (exchange) out.exchanges.push(exchange);
    else out.unreadable++;
  });
  return out;
}
