/**
 * What the parsers of other tools' recordings hand over (one small parser per format beside this
 * file): each HTTP exchange as the tool kept it — absolute URL, request headers and body, the
 * response's status, headers and body already decoded to text — before mirra's normalisation,
 * redaction and aliasing (to-raw.ts) turn it into the {@link RawInteraction} a recording stores.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { MirraError } from '../../errors';

/** A header as `[name, value]` (names in any case, as the tool wrote them). */
export type Header = [string, string];

/** One exchange from another tool's recording. */
export interface ToolExchange {
  /** Where it came from, for messages: `recording.har#3`. */
  source: string;
  method: string;
  /** Absolute URL as the tool recorded it (its host may be a local stand-in; see to-raw.ts). */
  url: string;
  requestHeaders: Header[];
  /** The request body as text (empty when none). */
  requestBody: string;
  /** Absent when the tool recorded a failure without an answer. */
  response?: {
    status: number;
    headers: Header[];
    /** The body as text, uncompressed. */
    body: string;
  };
  /** Why there is no response (default `reset`). */
  fault?: 'reset' | 'timeout';
  /** Epoch ms when the request started, when the tool says. */
  startedAt?: number;
  /** How long the exchange took, when the tool says. */
  durationMs?: number;
}

/** What a parser read from one file. */
export interface ToolRecording {
  exchanges: ToolExchange[];
  /** Epoch ms when the recording started, when the file says (a HAR page's start). */
  startedAt?: number;
  /** Entries the parser could not read (no method or URL): skipped and counted. */
  unreadable: number;
}

/** The first value of header `name` (case-insensitive). */
export function headerValue(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Headers from an object whose values are strings, numbers or lists of them (`{Name: [v]}`). */
export function headersOf(obj: unknown): Header[] {
  if (!obj || typeof obj !== 'object') return [];
  // nock < 14 kept raw headers as a flat list: [name, value, name, value, …].
  if (Array.isArray(obj)) {
    const out: Header[] = [];
    for (let i = 0; i + 1 < obj.length; i += 2) out.push([String(obj[i]), String(obj[i + 1])]);
    return out;
  }
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]): Header[] =>
    v === undefined || v === null ? [] : Array.isArray(v) ? v.map((x): Header => [k, String(x)]) : [[k, String(v)]],
  );
}

/**
 * The bytes of a body sent with `Content-Encoding: coding`, uncompressed. Bytes that do not
 * decompress are taken as already plain: tools differ in whether they store the wire bytes.
 */
export function decodeContent(bytes: Buffer, coding: string | undefined): string {
  const codings = (coding ?? '').toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity');
  let out = bytes;
  for (const c of codings.reverse()) {
    try {
      if (c === 'gzip' || c === 'x-gzip') out = gunzipSync(out);
      else if (c === 'deflate') out = tryInflate(out);
      else if (c === 'br') out = brotliDecompressSync(out);
    } catch {
      break;
    }
  }
  return out.toString('utf8');
}

function tryInflate(bytes: Buffer): Buffer {
  try {
    return inflateSync(bytes);
  } catch {
    return inflateRawSync(bytes); // servers differ on whether deflate carries the zlib header
  }
}

/** Epoch ms of a date string, or undefined. */
export function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Fails with MIRRA_ERR_INVALID_IMPORT naming the file and what is wrong with it. */
export function invalidImport(source: string, what: string): never {
  throw new MirraError('MIRRA_ERR_INVALID_IMPORT', `${source}: ${what}`);
}

/** True for a plain object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
