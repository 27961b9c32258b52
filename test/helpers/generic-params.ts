/**
 * Builds a valid request for any operation of the API table, creating what it needs first:
 * ancestors (a Conversation before its Participant, through the API when the API can create one,
 * else planted as Twilio's own activity would make it) and the instance a fetch/update/delete
 * addresses. Parameter values follow the spec's types and enums.
 *
 * Transport-agnostic: everything goes through an {@link ApiDriver}, so the same builder drives the
 * engine in memory (generic-conformance.test.ts) or a mirror over HTTP through the real SDK.
 */
import type { GenericOperation } from '../../src/twilio/generic/engine-api';
import { allOperations } from '../../src/twilio/generic/engine-api';
import { propsOf, storedTypesOf } from '../../src/twilio/generic/records';
import { paramOf, propOf, type ParamTuple, type TypeSpec, type ValueType } from '../../src/twilio/generic/table';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A request ready to send. */
export interface BuiltRequest {
  op: GenericOperation;
  pathParams: Record<string, string>;
  /** The path with its parameters filled (percent-encoded). */
  path: string;
  query: Record<string, string | string[]>;
  form: Record<string, string | string[]>;
  json?: Record<string, unknown>;
}

/** How the builder reaches the API under test. */
export interface ApiDriver {
  /** Sends a request; resolves with the answer (error answers included, never a throw). */
  call(req: BuiltRequest): Promise<{ status: number; body: unknown }>;
  /** Makes exist an instance the API cannot create, where `op` addresses it; resolves with its key. */
  plant(op: GenericOperation, pathParams: Record<string, string>): Promise<string>;
}

/** Which parameters to fill: only the required ones, or every one the operation declares. */
export type Fill = 'required' | 'all';

type JsonSchemaNode = { type?: string | string[]; format?: string; enum?: unknown[]; properties?: Record<string, JsonSchemaNode>; required?: string[]; items?: JsonSchemaNode };

/** One domain's test schemas (scripts/api-table/test-schemas.js). */
export interface DomainSchemas {
  definitions: Record<string, object>;
  ops: Record<string, { status: number; schema: object | null }>;
  requests: Record<string, JsonSchemaNode>;
}

/**
 * test/generated/api-schemas.json by domain label. Read, not imported: importing 780 KB of JSON
 * would have the type checker infer its type on every `npm run typecheck`.
 */
export const API_SCHEMAS: Record<string, DomainSchemas> = JSON.parse(readFileSync(join(__dirname, '../generated/api-schemas.json'), 'utf8'));

const REQUESTS = Object.fromEntries(Object.values(API_SCHEMAS).flatMap((d) => Object.entries(d.requests)));

const shapeOf = (template: string) => template.replace(/\{[^}]+\}/g, '{}');
const hex32 = (n: number) => n.toString(16).padStart(32, '0');
let counter = 0;

/** A string value for a parameter named `name` (URLs, numbers, SIDs, e-mail addresses look like ones). */
function textFor(name: string): string {
  if (/url$|callback$|uri$/i.test(name)) return 'https://example.com/hook';
  if (/phonenumber$|^to$|^from$|number$/i.test(name)) return '+15005550006';
  if (/sid$/i.test(name)) return `XX${hex32(++counter)}`;
  if (/email/i.test(name)) return 'mirra@example.com';
  if (/country$|countrycode$|isocode$/i.test(name)) return 'US';
  return `mirra-${name.toLowerCase().replace(/[^a-z0-9]/g, '')}-${++counter}`;
}

/** A value of type `type` for parameter `name`, as form text. */
function formText(name: string, type: ValueType, values: readonly string[] | undefined): string {
  if (values) return values[0]!;
  switch (type) {
    case 'i':
    case 'n':
      return '1';
    case 'b':
      return 'true';
    case 'd':
    case 'r':
      return '2026-01-02T03:04:05Z';
    case 'D':
      return '2026-01-02';
    case 'o':
      return '{}';
    case 'a':
      return '[]';
    default:
      return textFor(name);
  }
}

/** A JSON value that satisfies `node` (required fields filled, recursively). */
function jsonFor(name: string, node: JsonSchemaNode): unknown {
  if (node.enum) return node.enum.find((v) => v !== null);
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  switch (type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [jsonFor(name, node.items ?? {})];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of node.required ?? []) out[key] = jsonFor(key, node.properties?.[key] ?? {});
      return out;
    }
    default:
      return node.format === 'date' ? '2026-01-02' : node.format === 'date-time' ? '2026-01-02T03:04:05Z' : textFor(name);
  }
}

function fillParams(op: GenericOperation, tuples: readonly ParamTuple[] | undefined, fill: Fill): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const props = propsOf(storedTypesOf(op));
  for (const tuple of tuples ?? []) {
    const p = paramOf(tuple);
    if (!p.required && (fill === 'required' || /[<>]$/.test(p.name))) continue;
    // The parameter's enum, else that of the property it writes (Serverless `Runtime`).
    const propEnum = p.prop ? props.get(p.prop)?.enumIndex ?? -1 : -1;
    const enumIndex = p.enumIndex >= 0 ? p.enumIndex : propEnum;
    const values = enumIndex >= 0 ? op.domain.enums[enumIndex] : undefined;
    // A text parameter that writes a typed property (`Timeout` → integer `timeout`) gets a value of that type.
    const textual = p.type === 's' || p.type === '*';
    const target = textual && !values && p.prop && !p.prop.includes('.') ? props.get(p.prop)?.type ?? p.type : p.type;
    const text = formText(p.name, p.array && target === 'a' ? p.type : target, values);
    out[p.name] = p.array ? [text] : text;
  }
  return out;
}

/** Every operation of the table, by domain label, for the lookups below. */
const byDomain = new Map<string, GenericOperation[]>();
for (const op of allOperations()) byDomain.set(op.domain.label, [...(byDomain.get(op.domain.label) ?? []), op]);

/** The operation that creates an instance of the type whose instance template has this shape. */
function creatorOf(label: string, instanceShape: string): GenericOperation | undefined {
  const ops = byDomain.get(label) ?? [];
  const creates = ops.filter((o) => o.kind === 'create' && o.type);
  return (
    creates.find((o) => !o.spec.own && !o.spec.sg && shapeOf(o.spec.i ?? `${o.path.replace(/\.json$/, '')}/{}${o.path.endsWith('.json') ? '.json' : ''}`) === instanceShape) ??
    creates.find((o) => o.spec.own && shapeOf(o.path) === instanceShape)
  );
}

/** An operation that addresses one instance at this template shape (to plant through). */
function addresserOf(label: string, instanceShape: string): GenericOperation | undefined {
  return (byDomain.get(label) ?? []).find((o) => o.spec.own && o.type && shapeOf(o.path) === instanceShape);
}

/**
 * A key for an instance of `type` nothing has to make (computed resources) or that gets planted:
 * a SID with the type's prefix, one of the key property's enum values, an integer, or text.
 */
function syntheticKey(name: string, type: TypeSpec | undefined, enums: readonly string[][] = []): string {
  if (type?.x) return `${type.x}${hex32(++counter)}`;
  const keyProp = type?.p.find((t) => t[0] === type.k);
  if (keyProp) {
    const p = propOf(keyProp);
    if (p.enumIndex >= 0) return enums[p.enumIndex]![0]!;
    if (p.type === 'i') return String(++counter);
  }
  if (/phonenumber$/i.test(name)) return '+15005550006';
  return textFor(name);
}

/**
 * Parameters a hand-built resource needs beyond what the spec marks required (a Message's `From`,
 * a real number's SID), by operation id: merged into its form whenever the builder makes it.
 */
export type ExtraParams = (op: GenericOperation) => Record<string, string> | undefined;

/** Builds requests for operations, making their prerequisites through `driver`. */
export class RequestBuilder {
  constructor(
    private readonly driver: ApiDriver,
    private readonly accountSid: string,
    private readonly extra: ExtraParams = () => undefined,
  ) {}

  /**
   * A valid request for `op`: its ancestors and addressed instance made first. `preset` gives
   * the first path parameters (the ancestors a prerequisite must share with what needs it).
   */
  async build(op: GenericOperation, fill: Fill = 'required', preset: readonly string[] = []): Promise<BuiltRequest> {
    const names = op.pathParams;
    const values: string[] = [...preset.slice(0, names.length)];
    const ancestorCount = op.spec.a?.length ?? 0;
    for (let i = values.length; i < names.length; i++) {
      const name = names[i]!;
      const prefix = op.path.slice(0, op.path.indexOf(`{${name}}`) + name.length + 2) + (op.path.startsWith('/2010-04-01/') ? '.json' : '');
      const typeIndex = i < ancestorCount ? op.spec.a![i]! : op.spec.st ?? op.spec.t;
      const type = typeIndex >= 0 ? op.domain.types[typeIndex] : undefined;
      // A create at its own path makes the instance: its key is new, nothing to make first.
      if (i >= ancestorCount && op.kind === 'create') values.push(syntheticKey(name, type, op.domain.enums));
      else values.push(await this.instance(op.domain.label, shapeOf(prefix), name, type, values));
    }
    const pathParams = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
    const form = { ...fillParams(op, op.spec.f, fill), ...this.extra(op) };
    // A parameter naming the account (IAM's `AccountSid`) names the builder's.
    if (typeof form.AccountSid === 'string') form.AccountSid = this.accountSid;
    const query = fillParams(op, op.spec.q, fill);
    if (typeof query.AccountSid === 'string') query.AccountSid = this.accountSid;
    const request: BuiltRequest = { op, pathParams, path: fillPath(op.path, values), query, form };
    const jsonSchema = REQUESTS[op.id];
    if (jsonSchema) request.json = jsonFor('body', { ...jsonSchema, required: fill === 'all' ? Object.keys(jsonSchema.properties ?? {}) : jsonSchema.required }) as Record<string, unknown>;
    return request;
  }

  /**
   * Makes one instance where `list` lists, through the create at the same path (if any), so a
   * list answer has an item to check. Resolves with the created instance's answer.
   */
  async addOne(list: GenericOperation, req: BuiltRequest): Promise<unknown> {
    const create = (byDomain.get(list.domain.label) ?? []).find((o) => o.kind === 'create' && !o.spec.own && !o.spec.sg && o.path === list.path);
    if (!create) return undefined;
    const made = await this.driver.call(await this.build(create, 'required', list.pathParams.map((n) => req.pathParams[n]!)));
    if (made.status >= 300) throw new Error(`${create.id} answered ${made.status}: ${JSON.stringify(made.body)}`);
    return made.body;
  }

  /** The key of an existing instance at `shape` under the ancestor `values`, made if needed. */
  private async instance(label: string, shape: string, name: string, type: TypeSpec | undefined, values: readonly string[]): Promise<string> {
    const enums = byDomain.get(label)![0]!.domain.enums;
    if (type?.acct) return this.accountSid;
    if (!type || type.auto) return syntheticKey(name, type, enums);
    const creator = creatorOf(label, shape);
    if (creator) {
      const req = await this.build(creator, 'required', values);
      const answer = await this.driver.call(req);
      const body = answer.body as Record<string, unknown> | null;
      if (answer.status >= 300) throw new Error(`prerequisite ${creator.id} answered ${answer.status}: ${JSON.stringify(body)}`);
      if (creator.spec.own) return req.pathParams[creator.pathParams[creator.pathParams.length - 1]!]!;
      // The key is where the stored type keeps it; a create whose answer lacks it (a Validation
      // Request for an Outgoing Caller ID) is followed by planting one instead.
      const key = body?.[type.k || 'sid'] ?? body?.[creator.type!.k || 'sid'];
      if (key !== undefined && key !== null) return String(key);
    }
    const addresser = addresserOf(label, shape);
    if (!addresser) return syntheticKey(name, type, enums);
    const pathParams = Object.fromEntries(addresser.pathParams.map((n, i) => [n, i < values.length ? values[i]! : syntheticKey(n, type, enums)]));
    return this.driver.plant(addresser, pathParams);
  }
}

function fillPath(template: string, values: readonly string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? ''));
}
