/**
 * The API table the generic engine runs on: what scripts/gen-api-table.js derives from Twilio's
 * OpenAPI specs, one module per host in ./generated/, loaded on the first request to that host
 * (so `mirra up` pays nothing for the 38 domains until one is used).
 *
 * The generated JSON is compact: properties and parameters are tuples whose trailing default
 * values are left out. This file names every field and turns a domain into {@link GenericOperation}s.
 */
import { DOMAIN_HOSTS, DOMAIN_LOADERS } from './generated/index';

/**
 * Value type codes of properties and parameters: `s` string, `i` integer, `n` number, `b`
 * boolean, `o` object, `a` array, `*` untyped, `d` ISO 8601 date-time, `r` RFC 2822 date-time
 * (the 2010 API), `D` date (`YYYY-MM-DD`).
 */
export type ValueType = 's' | 'i' | 'n' | 'b' | 'o' | 'a' | '*' | 'd' | 'r' | 'D';

/** A response property: `[name, type, nullable (0), enum index (-1), SID prefix (''), default?]`. */
export type PropTuple = [name: string, type: ValueType, nullable?: number, enumIndex?: number, prefix?: string, dflt?: string | number | boolean];

/**
 * A request parameter: `[name, type, flags (0), enum index (-1), property ('')]`. Flags: 1
 * required, 2 array (type is then the item type). `property` is the response property the
 * parameter writes (form) or filters (query), dotted for nested ones (`timers.inactive`).
 */
export type ParamTuple = [name: string, type: ValueType, flags?: number, enumIndex?: number, prop?: string];

/** What an operation does, from its operationId verb (Create/Fetch/List/Update|Patch/Delete). */
export type OperationKind = 'create' | 'fetch' | 'list' | 'update' | 'delete';

/** A resource type: one response component schema (`conversations.v1.conversation`). */
export interface TypeSpec {
  /** Schema name (qualified by spec name when two specs of a host share one). */
  n: string;
  /** Properties in schema order. */
  p: PropTuple[];
  /** The property holding the instance key (`sid`, `identity`, `key`, `index`); '' for none. */
  k: string;
  /** SID prefix of the key (`CH`), when the key is a SID. */
  x?: string;
  /** Alternate key property the spec says may address an instance (`unique_name`, `identity`). */
  a?: string;
  /** 1 when some operation creates instances (an unknown key is then 404). */
  c?: 1;
  /** 1 when instances exist for any key (a computed resource: a phone number's lookup, a country's pricing). */
  auto?: 1;
  /** 1 for the 2010 Account: the scope's own account exists without being created. */
  acct?: 1;
  /** Property that holds the sub-resource links, absolute (`links`) or relative (`subresource_uris`). */
  l?: 'links' | 'subresource_uris';
  /** Sub-resource links: `[name, path template with {property} placeholders]`. */
  L?: [string, string][];
}

/** An operation of a domain. */
export interface OpSpec {
  /** operationId (unique within its spec). */
  o: string;
  /** Index of its spec in {@link DomainTable.specs}. */
  s: number;
  /** HTTP method, upper case. */
  m: string;
  /** Path template, `{Param}` placeholders (2010 ones end in `.json`). */
  p: string;
  k: OperationKind;
  /** Index of the resource type (list: the item type); -1 when the answer has no body. */
  t: number;
  /** Success status. */
  c: number;
  /** Type index of each ancestor path parameter, in path order (-1: no known type). */
  a?: number[];
  /** 1 when the last path parameter is the instance's own key. */
  own?: 1;
  /** Create: 1 when it writes a singleton at its own path (`/v1/CompositionSettings/Default`). */
  sg?: 1;
  /** Query parameters (paging excluded). */
  q?: ParamTuple[];
  /** Form parameters. */
  f?: ParamTuple[];
  /** Top-level fields of a JSON request body. */
  j?: ParamTuple[];
  /** List: the array key and envelope style. */
  lk?: string;
  e?: 'meta' | '2010' | 'plain';
  /** List with a plain envelope: its other properties. */
  ep?: PropTuple[];
  /** Create: the instance path template of a created record. */
  i?: string;
  /**
   * The type the records of its collection are stored as, when it answers with a schema of its
   * own (CreateNewKey's `new_key` carries the secret, the stored `key` does not; an Assistant's
   * list items differ from a fetched Assistant).
   */
  st?: number;
}

/** Per spec of a domain: version prefixes, list envelope, date format. */
export interface SpecMeta {
  name: string;
  prefixes: string[];
  envelope: '2010' | 'meta';
  dates: 'rfc2822' | 'iso8601';
  operations: number;
}

/** One host's table, as generated. */
export interface DomainTable {
  /** The host's first label (`conversations`, `flex-api`): also its base-URL path prefix. */
  label: string;
  host: string;
  specs: SpecMeta[];
  enums: string[][];
  types: TypeSpec[];
  ops: OpSpec[];
}

/** An operation, ready to match and run. */
export interface GenericOperation {
  /** `<spec>.<operationId>`, e.g. `conversations_v1.CreateConversation` (what overrides are keyed by). */
  readonly id: string;
  readonly operationId: string;
  readonly kind: OperationKind;
  readonly method: string;
  /** Path template as in the spec. */
  readonly path: string;
  /** Names of the path parameters, in order. */
  readonly pathParams: readonly string[];
  readonly domain: DomainTable;
  readonly spec: OpSpec;
  /** The resource type, if the answer has one. */
  readonly type: TypeSpec | undefined;
}

/** A domain's operations with their path matchers, by method. */
export interface CompiledDomain {
  readonly table: DomainTable;
  readonly byMethod: ReadonlyMap<string, readonly CompiledOperation[]>;
}

/** An operation and the pattern its template compiles to. */
export interface CompiledOperation {
  readonly operation: GenericOperation;
  readonly pattern: RegExp;
}

/**
 * Compiled domains, by label. Like `require`'s own module cache, which it sits on, it holds only
 * what the generated modules define, derived once: no data of any session or account.
 */
const compiled = new Map<string, CompiledDomain>();

/** The labels of every domain (`api`, `conversations`, ...). */
export function domainLabels(): string[] {
  return Object.keys(DOMAIN_HOSTS);
}

/** True when `label` names a domain of the table. */
export function isDomainLabel(label: string): boolean {
  return Object.prototype.hasOwnProperty.call(DOMAIN_HOSTS, label);
}

/** The domain with this label, loaded and compiled on first use; undefined for an unknown label. */
export function loadDomain(label: string): CompiledDomain | undefined {
  const known = compiled.get(label);
  if (known) return known;
  if (!isDomainLabel(label)) return undefined;
  const table = DOMAIN_LOADERS[label]!();
  const byMethod = new Map<string, CompiledOperation[]>();
  for (const spec of table.ops) {
    const operation = toOperation(table, spec);
    const list = byMethod.get(spec.m) ?? [];
    list.push({ operation, pattern: templatePattern(spec.p) });
    byMethod.set(spec.m, list);
  }
  const domain = { table, byMethod };
  compiled.set(label, domain);
  return domain;
}

function toOperation(table: DomainTable, spec: OpSpec): GenericOperation {
  return {
    id: `${table.specs[spec.s]!.name}.${spec.o}`,
    operationId: spec.o,
    kind: spec.k,
    method: spec.m,
    path: spec.p,
    pathParams: [...spec.p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
    domain: table,
    spec,
    type: spec.t >= 0 ? table.types[spec.t] : undefined,
  };
}

/** `/v1/Services/{Sid}` → `^/v1/Services/([^/]+)$`; a parameter never spans a `/`. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+?)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The operation with this id (`conversations_v1.CreateConversation`) in domain `label`. */
export function operationById(label: string, id: string): GenericOperation | undefined {
  const domain = loadDomain(label);
  if (!domain) return undefined;
  for (const ops of domain.byMethod.values()) for (const { operation } of ops) if (operation.id === id) return operation;
  return undefined;
}

/** Every operation of every domain (loads them all: for tests and tools, not the request path). */
export function allOperations(): GenericOperation[] {
  const out: GenericOperation[] = [];
  for (const label of domainLabels()) {
    const domain = loadDomain(label)!;
    for (const ops of domain.byMethod.values()) for (const { operation } of ops) out.push(operation);
  }
  return out;
}

/** Reads a property tuple with its defaults filled in. */
export function propOf(tuple: PropTuple) {
  const [name, type, nullable = 0, enumIndex = -1, prefix = '', dflt] = tuple;
  return { name, type, nullable: nullable === 1, enumIndex, prefix, dflt };
}

/** The zero value of a non-string, non-date type: what a property neither given nor nullable holds. */
export function zeroOf(type: ValueType): unknown {
  switch (type) {
    case 'i':
    case 'n':
      return 0;
    case 'b':
      return false;
    case 'a':
      return [];
    case 'o':
      return {};
    default:
      return null;
  }
}

/** Reads a parameter tuple with its defaults filled in. */
export function paramOf(tuple: ParamTuple) {
  const [name, type, flags = 0, enumIndex = -1, prop = ''] = tuple;
  return { name, type, required: (flags & 1) === 1, array: (flags & 2) === 2, enumIndex, prop };
}

/** The date format of an operation's spec (RFC 2822 on the 2010 API, ISO 8601 elsewhere). */
export function datesOf(op: GenericOperation): 'rfc2822' | 'iso8601' {
  return op.domain.specs[op.spec.s]!.dates;
}
