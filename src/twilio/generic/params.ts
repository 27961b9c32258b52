/**
 * Request parameters against the spec: presence of required ones, types and enum values
 * (400/20001, see ./errors.ts), then the values they give the resource's properties. Unknown
 * parameters are ignored, as Twilio ignores them.
 */
import { many, one, type Params } from '../form';
import { invalidParameter, missingParameter } from './param-errors';
import { paramOf, type ParamTuple, type ValueType } from './table';

/** A parameter's values as sent: all of them for an array, else the last one. */
export function valuesOf(params: Params, name: string, array: boolean): string[] {
  if (array) return many(params, name);
  const v = one(params, name);
  return v === undefined ? [] : [v];
}

/** True when `value` is one of the forms a date filter or date parameter may take. */
function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * `value` checked against a parameter's type and enum; returns it in canonical spelling (an
 * enum value matched case-insensitively takes the spec's case: `post` → `POST`).
 */
function checkValue(name: string, type: ValueType, values: readonly string[] | undefined, value: string): string {
  if (values) {
    const match = values.find((v) => v === value) ?? values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (match === undefined) throw invalidParameter(name, value);
    return match;
  }
  const ok =
    type === 'i' ? /^-?\d+$/.test(value)
    : type === 'n' ? value.trim() !== '' && Number.isFinite(Number(value))
    : type === 'b' ? /^(true|false)$/i.test(value)
    : type === 'd' || type === 'r' ? isDate(value)
    : type === 'D' ? /^\d{4}-\d{2}-\d{2}$/.test(value)
    : true;
  if (!ok) throw invalidParameter(name, value);
  return value;
}

/**
 * Validates form or query parameters: a required one that is absent is 400/20001 "Missing
 * required parameter X in the post body", a value of the wrong type or outside the enum 400/20001
 * "Invalid parameter X: value". Returns the canonical values of the parameters present.
 */
export function checkParams(
  tuples: readonly ParamTuple[] | undefined,
  params: Params,
  where: 'body' | 'query',
  enums: readonly string[][],
  /** Allowed values of parameters the spec gives no enum but whose property has one. */
  propertyEnums: ReadonlyMap<string, readonly string[]> = new Map(),
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const tuple of tuples ?? []) {
    const p = paramOf(tuple);
    const values = valuesOf(params, p.name, p.array);
    if (values.length === 0) {
      if (p.required) throw missingParameter(p.name, where);
      continue;
    }
    const allowed = p.enumIndex >= 0 ? enums[p.enumIndex] : propertyEnums.get(p.name);
    out.set(p.name, values.map((v) => checkValue(p.name, p.type, allowed, v)));
  }
  return out;
}

const JSON_TYPE_OK: Partial<Record<ValueType, (v: unknown) => boolean>> = {
  i: (v) => Number.isInteger(v),
  n: (v) => typeof v === 'number',
  b: (v) => typeof v === 'boolean',
  o: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  d: (v) => typeof v === 'string' && isDate(v),
  D: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
};

/** Validates a JSON request body's top-level fields: required ones present, primitive types right. */
export function checkJson(tuples: readonly ParamTuple[] | undefined, body: unknown, enums: readonly string[][]): Record<string, unknown> {
  const obj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  for (const tuple of tuples ?? []) {
    const p = paramOf(tuple);
    const v = obj[p.name];
    if (v === undefined || v === null) {
      if (p.required) throw missingParameter(p.name, 'body');
      continue;
    }
    const items = p.array ? (Array.isArray(v) ? v : [v]) : [v];
    const typeOk = JSON_TYPE_OK[p.type];
    for (const item of items) {
      if (typeOk && !typeOk(item)) throw invalidParameter(p.name, JSON.stringify(item));
      if (p.enumIndex >= 0 && typeof item === 'string' && !enums[p.enumIndex]!.includes(item)) throw invalidParameter(p.name, item);
    }
  }
  return obj;
}

/** Parses JSON text that encodes an object or array; undefined when it does not. */
function parseJsonish(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The value form parameter values give a property of type `target`: booleans, numbers, arrays
 * and JSON objects coerced, date-times as epoch ms. 400/20001 when they cannot be (a property
 * that holds an object given text that is not a JSON object).
 */
export function formValue(name: string, values: readonly string[], array: boolean, target: ValueType): unknown {
  const last = values[values.length - 1]!;
  switch (target) {
    case 'b':
      return /^true$/i.test(last);
    case 'i':
    case 'n': {
      const n = target === 'i' ? Number.parseInt(last, 10) : Number(last);
      if (!Number.isFinite(n)) throw invalidParameter(name, last);
      return n;
    }
    case 'a': {
      if (array || values.length > 1) return [...values];
      const parsed = parseJsonish(last);
      return Array.isArray(parsed) ? parsed : [last];
    }
    case 'o': {
      const parsed = parseJsonish(last);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter(name, last);
      return parsed;
    }
    case '*':
      return parseJsonish(last) ?? (array ? [...values] : last);
    case 'd':
    case 'r': {
      const ms = Date.parse(last);
      if (Number.isNaN(ms)) throw invalidParameter(name, last);
      return ms;
    }
    default:
      return array ? values.join(',') : last;
  }
}

/** The value a JSON body field gives a property of type `target` (date-time text → epoch ms). */
export function jsonValue(value: unknown, target: ValueType): unknown {
  if ((target === 'd' || target === 'r') && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  if (target === 's' && value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}
