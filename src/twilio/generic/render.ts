/**
 * A generic record as Twilio writes it: every schema property in schema order; date-times in
 * the format the schema gives (RFC 2822 on the 2010 API, ISO 8601 elsewhere, whole seconds);
 * `url` absolute on the base URL the client used, 2010 `uri` relative; and the sub-resource
 * links of the spec's `dependentProperties` (absolute `links` on v1/v2, relative 2010
 * `subresource_uris`, twilio-api.md §2).
 */
import { iso8601, rfc2822 } from '../wire';
import type { GenericRecord } from './store';
import { propOf, zeroOf, type TypeSpec } from './table';

/** What rendering needs besides the record. */
export interface RenderContext {
  /** Scheme, host and base-URL prefix: `https://conversations.twilio.com`, `http://127.0.0.1:4010/conversations`. */
  baseUrl: string;
  accountSid: string;
  /** The domain's enum value lists (a property the record lacks renders as its first value). */
  enums: readonly string[][];
}

/**
 * The value of a property a record lacks (it was stored as its collection's type, and this
 * answer's schema has more): null where nullable, else the zero value of its type.
 */
function absentValue(p: ReturnType<typeof propOf>, ctx: RenderContext): unknown {
  if (p.dflt !== undefined) return p.dflt;
  if (p.nullable) return null;
  return p.type === 's' ? (p.enumIndex >= 0 ? ctx.enums[p.enumIndex]![0] : '') : zeroOf(p.type);
}

function dateText(value: unknown, format: 'd' | 'r'): string | null {
  if (typeof value !== 'number') return typeof value === 'string' ? value : null;
  return format === 'r' ? rfc2822(value) : iso8601(value);
}

/** The link map of a record: each template's `{property}` filled from the record, its path parameters, or the account. */
function links(type: TypeSpec, record: GenericRecord, ctx: RenderContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of type.L ?? []) {
    const path = template.replace(/\{([^}]+)\}/g, (_, prop: string) => {
      const value = record.data[prop] ?? record.params[prop] ?? (prop === 'account_sid' ? ctx.accountSid : '');
      return encodeURIComponent(String(value));
    });
    out[name] = type.l === 'links' ? ctx.baseUrl + path : path;
  }
  return out;
}

/** The JSON of a record of `type`. */
export function renderRecord(type: TypeSpec, record: GenericRecord, ctx: RenderContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const tuple of type.p) {
    const p = propOf(tuple);
    const value = record.data[p.name];
    if (p.name === type.l) out[p.name] = links(type, record, ctx);
    else if (p.name === 'url' && p.type === 's' && record.path) out[p.name] = ctx.baseUrl + record.path;
    else if (p.name === 'uri' && p.type === 's' && record.path) out[p.name] = record.path;
    else if (value === undefined) out[p.name] = absentValue(p, ctx);
    else if (p.type === 'd' || p.type === 'r') out[p.name] = dateText(value, p.type);
    else out[p.name] = value;
  }
  return out;
}
