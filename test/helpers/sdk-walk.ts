/**
 * Finds the twilio-node method of a spec operation. The SDK's resources are found by the URIs they
 * request, not by guessing names: its object graph is walked once from each domain's versions,
 * with placeholder keys (`__P0__`), and every list and context is recorded with its `_uri`
 * template and the steps that reach it (`conversations` → `v1` → `conversations` → call(P0) →
 * `participants`). An operation's path, as the same template, then names the steps to replay on a
 * real client with real keys. Each parameter's SDK name comes from the method's own source
 * (`data["FriendlyName"] = params["friendlyName"]`).
 *
 * Undefined where the SDK has no method for the operation, or no name for one of the request's
 * parameters: the caller then sends raw HTTP.
 */
import twilio from 'twilio';

const twilioSdk = twilio;
import type { BuiltRequest } from './generic-params';

/** An SDK call ready to make. */
export interface SdkCall {
  /** `conversations.v1.conversations(…).participants.create`, for reports. */
  name: string;
  invoke(): Promise<unknown>;
}

/** One step from a domain to a resource: a property, or a call with the n-th path key (or none). */
type Step = { prop: string } | { call: number | null };

interface Found {
  steps: Step[];
  kind: 'list' | 'context';
}

const PLACEHOLDER = /__P(\d+)__/g;
const METHODS = { create: 'create', fetch: 'fetch', update: 'update', delete: 'remove', list: 'page' } as const;

/** Property names of `obj` and its prototypes (the SDK's getters live on prototypes). */
function names(obj: object): string[] {
  const out = new Set<string>();
  for (let o: object | null = obj; o && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
    for (const n of Object.getOwnPropertyNames(o)) if (!n.startsWith('_') && n !== 'constructor') out.add(n);
  }
  return [...out];
}

const isResource = (v: any) => v !== null && (typeof v === 'object' || typeof v === 'function') && v._version !== undefined && typeof v._uri === 'string';

/** `shape` of a URI: keys as `{}`, no `.json`. */
const shapeOfUri = (uri: string) => uri.replace(PLACEHOLDER, '{}').replace(/\.json$/, '');

/** Resources by `<label> <version> <shape>`, for one SDK build (the graph is the same for every client). */
let index: Map<string, Found[]> | undefined;

function record(into: Map<string, Found[]>, key: string, found: Found): void {
  const list = into.get(key) ?? [];
  list.push(found);
  into.set(key, list);
}

/** Walks a version's resources (depth-first, placeholders for keys). */
function walk(into: Map<string, Found[]>, prefix: string, obj: any, steps: Step[], keys: number, depth: number): void {
  if (depth > 9) return;
  for (const name of names(obj)) {
    let value: any;
    try {
      value = obj[name];
    } catch {
      continue;
    }
    if (!isResource(value)) continue;
    const here: Step[] = [...steps, { prop: name }];
    record(into, `${prefix} ${shapeOfUri(value._uri)}`, { steps: here, kind: typeof value === 'function' ? 'list' : 'context' });
    if (typeof value === 'function') {
      // A list may hold lists of its own (`incomingPhoneNumbers.local`, `configuration.webhooks`).
      walk(into, prefix, value, here, keys, depth + 1);
      for (const arg of [`__P${keys}__`, undefined]) {
        let context: any;
        try {
          context = arg === undefined ? value() : value(arg);
        } catch {
          continue;
        }
        if (!isResource(context)) continue;
        const next: Step[] = [...here, { call: arg === undefined ? null : keys }];
        record(into, `${prefix} ${shapeOfUri(context._uri)}`, { steps: next, kind: 'context' });
        walk(into, prefix, context, next, arg === undefined ? keys : keys + 1, depth + 1);
      }
    } else {
      walk(into, prefix, value, here, keys, depth + 1);
    }
  }
}

/** The index of every resource of the SDK, built once (on a client of its own, at Twilio's hosts). */
function resourceIndex(): Map<string, Found[]> {
  if (index) return index;
  const client = twilioSdk('AC' + '0'.repeat(32), 'index');
  // The domains' deprecated shortcuts warn when read; the walk reads them all once.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return (index = buildIndex(client));
  } finally {
    console.warn = warn;
  }
}

function buildIndex(client: twilio.Twilio): Map<string, Found[]> {
  const built = new Map<string, Found[]>();
  for (const domainProp of names(client)) {
    let domain: any;
    try {
      domain = (client as any)[domainProp];
    } catch {
      continue;
    }
    if (!domain || typeof domain.baseUrl !== 'string') continue;
    const label = /^https:\/\/([^.]+)\./.exec(domain.baseUrl)?.[1];
    if (!label) continue;
    for (const versionProp of names(domain)) {
      let version: any;
      try {
        version = domain[versionProp];
      } catch {
        continue;
      }
      if (!version || typeof version._version !== 'string' || version._domain !== domain) continue;
      walk(built, `${label} ${version._version}`, version, [{ prop: domainProp }, { prop: versionProp }], 0, 0);
    }
  }
  return built;
}

/** SDK parameter names of a method, by Twilio name, read from its source; how it takes a JSON body. */
function sdkNames(method: Function): { params: Map<string, string>; json: 'whole' | string | undefined } {
  const source = method.toString();
  const params = new Map<string, string>();
  for (const m of source.matchAll(/data\["([^"]+)"\]\s*=\s*(?:serialize\.\w+\()?params\["([^"]+)"\]/g)) params.set(m[1]!, m[2]!);
  const keyed = /data = params\["([^"]+)"\];/.exec(source);
  return { params, json: /data = params;/.test(source) ? 'whole' : keyed?.[1] };
}

/** The resource at the end of `steps` on `client`, with the request's path keys. */
function follow(client: twilio.Twilio, steps: Step[], keys: string[]): any {
  let target: any = client;
  for (const step of steps) target = 'prop' in step ? target[step.prop] : step.call === null ? target() : target(keys[step.call]);
  return target;
}

/**
 * The SDK call that makes `req`, or undefined when the SDK has none (or no name for one of the
 * request's parameters).
 */
export function sdkCallOf(client: twilio.Twilio, req: BuiltRequest): SdkCall | undefined {
  const op = req.op;
  const [version, ...rest] = op.path.split('/').slice(1);
  const shape = `/${rest.join('/')}`.replace(/\{[^}]+\}/g, '{}').replace(/\.json$/, '');
  const candidates = resourceIndex().get(`${op.domain.label} ${version} ${shape === '/' ? '' : shape}`) ?? [];
  const methodName = METHODS[op.kind];
  const keys = op.pathParams.map((n) => req.pathParams[n]!);
  for (const found of candidates) {
    const target = follow(client, found.steps, keys);
    const method = target?.[methodName];
    if (typeof method !== 'function') continue;
    const { params: known, json } = sdkNames(method);
    const args: Record<string, unknown> = {};
    const unnamed = Object.entries({ ...req.query, ...req.form }).some(([name, value]) => {
      const key = known.get(name);
      if (key) args[key] = value;
      return !key;
    });
    if (unnamed || (req.json && !json)) continue;
    const name = found.steps.map((s) => ('prop' in s ? s.prop : '(…)')).join('.').replace(/\.\(/g, '(') + `.${methodName}`;
    if (req.json) {
      const body = json === 'whole' ? req.json : { [json!]: req.json };
      return { name, invoke: () => method.call(target, body) };
    }
    return { name, invoke: () => (methodName === 'remove' ? method.call(target) : method.call(target, args)) };
  }
  return undefined;
}

/** Points every domain of `client` at `url` in base-URL mode (`…/conversations`, `…/flex-api`). */
export function pointEveryDomainAt(client: twilio.Twilio, url: string): twilio.Twilio {
  const warn = console.warn;
  console.warn = () => undefined; // the client's deprecated shortcuts warn when read
  try {
    for (const prop of names(client)) {
      let domain: any;
      try {
        domain = (client as any)[prop];
      } catch {
        continue;
      }
      const label = domain && typeof domain.baseUrl === 'string' ? /^https:\/\/([^.]+)\.twilio\.com$/.exec(domain.baseUrl)?.[1] : undefined;
      if (label) domain.baseUrl = `${url}/${label}`;
    }
  } finally {
    console.warn = warn;
  }
  return client;
}
