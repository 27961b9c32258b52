/**
 * Twilio's two paging dialects (twilio-api.md §3): the 2010 API's relative `*_page_uri` keys and
 * v1/v2's `meta` block with absolute URLs. Page tokens are `PA<sid>` (after that record) and
 * `PB<sid>` (before it), as Twilio's are; `Page` alone is honoured as an offset.
 */
import { twilioError } from './errors';
import { one, type Params } from './form';

/** Paging parameters as read from a request. */
export interface PageRequest {
  pageSize: number;
  page: number;
  token: string | null;
}

/** Reads `PageSize`, `Page` and `PageToken`; a page size over 1000 is Twilio's 20007. */
export function readPageRequest(query: Params, defaultSize = 50): PageRequest {
  const rawSize = one(query, 'PageSize');
  let pageSize = rawSize !== undefined && /^\d+$/.test(rawSize) ? Number(rawSize) : defaultSize;
  if (pageSize > 1000) throw twilioError(20007);
  if (pageSize < 1) pageSize = defaultSize;
  const rawPage = one(query, 'Page');
  const page = rawPage !== undefined && /^\d+$/.test(rawPage) ? Math.min(Number(rawPage), 1_000_000) : 0;
  const token = one(query, 'PageToken') ?? null;
  return { pageSize, page, token: token && /^P[AB]/.test(token) ? token : null };
}

/** One page cut out of an ordered sequence. */
export interface PageSlice<T> {
  items: T[];
  start: number;
  hasNext: boolean;
  hasPrevious: boolean;
}

/** Cuts the requested page out of `all` (already filtered and ordered). */
export function slicePage<T>(all: Iterable<T>, req: PageRequest, sidOf: (item: T) => string): PageSlice<T> {
  const start = req.page * req.pageSize;
  const list = Array.isArray(all) ? (all as T[]) : [...all];
  let from = start;
  if (req.token) {
    const sid = req.token.slice(2);
    const at = list.findIndex((item) => sidOf(item) === sid);
    if (at !== -1) from = req.token.startsWith('PA') ? at + 1 : Math.max(0, at - req.pageSize);
  }
  const items = list.slice(from, from + req.pageSize);
  return { items, start, hasNext: from + req.pageSize < list.length, hasPrevious: from > 0 };
}

function withQuery(path: string, filters: [string, string][], extra: [string, string][]): string {
  const qs = [...filters, ...extra].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return qs ? `${path}?${qs}` : path;
}

/** The first, previous, current and next page links of a slice, on `base` (a path or an absolute URL). */
function pageLinks<T>(base: string, filters: [string, string][], req: PageRequest, slice: PageSlice<T>, sidOf: (item: T) => string) {
  const size = String(req.pageSize);
  const first = slice.items[0];
  const last = slice.items[slice.items.length - 1];
  const current: [string, string][] = [['PageSize', size], ['Page', String(req.page)]];
  if (req.token) current.push(['PageToken', req.token]);
  return {
    first: withQuery(base, filters, [['PageSize', size], ['Page', '0']]),
    previous:
      slice.hasPrevious && first && req.page > 0
        ? withQuery(base, filters, [['PageSize', size], ['Page', String(req.page - 1)], ['PageToken', 'PB' + sidOf(first)]])
        : null,
    current: withQuery(base, filters, current),
    next:
      slice.hasNext && last ? withQuery(base, filters, [['PageSize', size], ['Page', String(req.page + 1)], ['PageToken', 'PA' + sidOf(last)]]) : null,
  };
}

/** The 2010 envelope, in the key order real responses use. */
export function page2010<T>(
  key: string,
  slice: PageSlice<T>,
  req: PageRequest,
  path: string,
  filters: [string, string][],
  sidOf: (item: T) => string,
  render: (item: T) => unknown,
): Record<string, unknown> {
  const links = pageLinks(path, filters, req, slice, sidOf);
  return {
    first_page_uri: links.first,
    end: slice.items.length === 0 ? slice.start : slice.start + slice.items.length - 1,
    previous_page_uri: links.previous,
    [key]: slice.items.map(render),
    uri: links.current,
    page_size: req.pageSize,
    start: slice.start,
    next_page_uri: links.next,
    page: req.page,
  };
}

/** The v1/v2 envelope: `meta` with absolute URLs on the origin the client used, then the records. */
export function pageV1<T>(
  key: string,
  slice: PageSlice<T>,
  req: PageRequest,
  url: string,
  filters: [string, string][],
  sidOf: (item: T) => string,
  render: (item: T) => unknown,
): Record<string, unknown> {
  const links = pageLinks(url, filters, req, slice, sidOf);
  return {
    meta: {
      page: req.page,
      page_size: req.pageSize,
      first_page_url: links.first,
      previous_page_url: links.previous,
      url: links.current,
      next_page_url: links.next,
      key,
    },
    [key]: slice.items.map(render),
  };
}
