/**
 * Validates answers of the API table's operations against the specs' own answer schemas
 * (test/generated/api-schemas.json) with ajv: every property present, no other, types, enums,
 * formats; and the list envelope of list operations.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { GenericOperation } from '../../src/twilio/generic/engine-api';
import { API_SCHEMAS } from './generic-params';
import { expectListEnvelope2010, expectListEnvelopeV1 } from './schema';

export const ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }));
for (const [label, d] of Object.entries(API_SCHEMAS)) {
  const definitions: Record<string, object> = { ...d.definitions };
  for (const [id, op] of Object.entries(d.ops)) if (op.schema) definitions[`op:${id}`] = op.schema;
  ajv.addSchema({ $id: `https://mirra.test/${label}`, definitions });
}

/** The spec's success status of an operation. */
export function specStatus(op: GenericOperation): number {
  return API_SCHEMAS[op.domain.label]!.ops[op.id]!.status;
}

/** The validator of an operation's answer body, or undefined when the spec answers no body. */
export function validatorOf(op: GenericOperation): ValidateFunction | undefined {
  return API_SCHEMAS[op.domain.label]!.ops[op.id]!.schema ? ajv.getSchema(`https://mirra.test/${op.domain.label}#/definitions/op:${op.id}`) : undefined;
}

/** Why `body` is not what `op` answers by its spec (schema and list envelope), or undefined. */
export function schemaProblem(op: GenericOperation, body: unknown): string | undefined {
  const validate = validatorOf(op);
  if (!validate) return body === null || body === undefined || body === '' ? undefined : `a body where the spec has none: ${JSON.stringify(body).slice(0, 200)}`;
  if (!validate(body)) return ajv.errorsText(validate.errors);
  try {
    if (op.spec.e === 'meta') expectListEnvelopeV1(body, op.spec.lk!);
    if (op.spec.e === '2010') expectListEnvelope2010(body, op.spec.lk!);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}
