/**
 * Lists: the records under a parent, filtered by the query parameters that name a property
 * (`State=active`, `DateCreated>=…` as `DateCreated>`), paged with `PageSize`/`Page`/`PageToken`
 * in the domain's envelope (2010 `*_page_uri` keys or v1/v2 `meta`; twilio-api.md §3) through the
 * same helpers as the hand-built resources (../pagination.ts).
 */
import { parseDateFilter } from '../wire';
import { page2010, pageV1, readPageRequest, slicePage, type PageRequest, type PageSlice } from '../pagination';
import type { Params } from '../form';
import { propsOf } from './records';
import type { GenericRecord } from './store';
import { paramOf, propOf, type GenericOperation, type PropTuple, type TypeSpec } from './table';

const PAGING = new Set(['PageSize', 'Page', 'PageToken']);

/** The query's filter pairs in the order given, for page links (paging parameters left out). */
export function filterPairs(query: Params): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(query)) {
    if (PAGING.has(k) || v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}

/** A record's value as a filter compares it: date-times as epoch ms, the rest as text. */
function matches(value: unknown, wanted: string, type: string, op: '' | '<' | '>'): boolean {
  if (type === 'd' || type === 'r' || type === 'D') {
    const range = parseDateFilter(wanted);
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
    if (!range || Number.isNaN(ms)) return false;
    return op === '<' ? ms <= range.end : op === '>' ? ms >= range.start : ms >= range.start && ms <= range.end;
  }
  if (Array.isArray(value)) return value.some((v) => String(v).toLowerCase() === wanted.toLowerCase());
  return value !== null && value !== undefined && String(value).toLowerCase() === wanted.toLowerCase();
}

/**
 * Keeps the records that match every filter the query gives: a query parameter whose name (less
 * a trailing `<` or `>`) is a property of the item. Filters that name no property are accepted
 * and change nothing (Twilio's own may filter on things the answer does not show).
 */
export function applyFilters(op: GenericOperation, types: readonly TypeSpec[], records: GenericRecord[], checked: Map<string, string[]>): GenericRecord[] {
  const props = propsOf(types);
  let out = records;
  for (const tuple of op.spec.q ?? []) {
    const p = paramOf(tuple);
    const values = checked.get(p.name);
    const prop = p.prop ? props.get(p.prop) : undefined;
    if (!values || !prop) continue;
    const cmp = p.name.endsWith('<') ? '<' : p.name.endsWith('>') ? '>' : '';
    out = out.filter((r) => values.some((v) => matches(r.data[prop.name], v, prop.type, cmp)));
  }
  return out;
}

/** Values of a plain (non-paging) list envelope's other keys (SCIM `totalResults`, `has_next`, `uri`). */
function plainValue(tuple: PropTuple, slice: PageSlice<unknown>, req: PageRequest, total: number, path: string): unknown {
  const p = propOf(tuple);
  if (p.name === 'uri' || p.name === 'url') return path;
  if (p.name === 'schemas') return ['urn:ietf:params:scim:api:messages:2.0:ListResponse'];
  if (/^(per_page|page_size|itemsPerPage)$/.test(p.name)) return req.pageSize;
  if (/^(current_page|page)$/.test(p.name)) return req.page;
  if (/^has_next$/.test(p.name)) return slice.hasNext;
  if (/^has_prev(ious)?$/.test(p.name)) return slice.hasPrevious;
  if (/^total_pages$/.test(p.name)) return Math.max(1, Math.ceil(total / req.pageSize));
  if (/total|count/i.test(p.name)) return total;
  if (/^start(Index)?$/.test(p.name)) return slice.start;
  return p.nullable ? null : p.type === 'i' || p.type === 'n' ? 0 : p.type === 'b' ? false : p.type === 'a' ? [] : '';
}

/** What a list answer needs besides the records. */
export interface ListContext {
  /** The request path as Twilio sees it (`/v1/Conversations`, `/2010-04-01/Accounts/AC…/Queues.json`). */
  path: string;
  /** Absolute base for v1/v2 page URLs. */
  baseUrl: string;
  query: Params;
}

/** One page of `records` in the operation's envelope. */
export function listPage(op: GenericOperation, records: GenericRecord[], ctx: ListContext, render: (r: GenericRecord) => unknown): Record<string, unknown> {
  const req = readPageRequest(ctx.query);
  const slice = slicePage(records, req, (r) => r.key);
  const key = op.spec.lk!;
  const filters = filterPairs(ctx.query);
  const sidOf = (r: GenericRecord) => r.key;
  if (op.spec.e === '2010') return page2010(key, slice, req, ctx.path, filters, sidOf, render);
  if (op.spec.e === 'meta') return pageV1(key, slice, req, ctx.baseUrl + ctx.path, filters, sidOf, render);
  const out: Record<string, unknown> = { [key]: slice.items.map(render) };
  for (const tuple of op.spec.ep ?? []) out[tuple[0]] = plainValue(tuple, slice as PageSlice<unknown>, req, records.length, ctx.path);
  return out;
}
