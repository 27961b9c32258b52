/**
 * Conformance of the generic engine over EVERY operation of Twilio's 55 specs, in memory: each
 * operation gets a valid request (prerequisites made first, test/helpers/generic-params.ts), must
 * answer its spec's success status, and its body must match the spec's answer schema
 * (test/generated/api-schemas.json: every property present, no other, types, enums, formats),
 * list envelopes included. Run twice: with only the required parameters, and with every one.
 */
import { TwilioError } from '../../src/twilio/errors';
import { allOperations, handleGeneric, MemoryGenericStore, plantRecord, type GenericOperation, type GenericScope } from '../../src/twilio/generic/engine-api';
import { newSid } from '../../src/twilio/sid';
import { schemaProblem, specStatus } from '../helpers/api-validator';
import { RequestBuilder, type ApiDriver, type Fill } from '../helpers/generic-params';

const ACCOUNT = 'AC' + 'c0ffee'.repeat(5) + 'c0';

/** The engine in memory behind the builder's driver. */
function inMemory(): { driver: ApiDriver; scope: GenericScope } {
  const scope: GenericScope = { accountSid: ACCOUNT, now: () => Date.UTC(2026, 0, 2, 3, 4, 5), newSid, store: new MemoryGenericStore() };
  const driver: ApiDriver = {
    async call(req) {
      try {
        return handleGeneric(req.op, { pathParams: req.pathParams, query: req.query, form: req.form, json: req.json, path: req.path }, scope);
      } catch (err) {
        if (err instanceof TwilioError) return { status: err.status, body: err.toBody() };
        throw err;
      }
    },
    async plant(op, pathParams) {
      return plantRecord(op, pathParams, scope).key;
    },
  };
  return { driver, scope };
}

/** Runs one operation; the reason it does not conform, or undefined when it does. */
async function check(op: GenericOperation, fill: Fill): Promise<string | undefined> {
  const { driver } = inMemory();
  const builder = new RequestBuilder(driver, ACCOUNT);
  let answer: { status: number; body: unknown };
  try {
    const req = await builder.build(op, fill);
    if (op.kind === 'list') await builder.addOne(op, req);
    answer = await driver.call(req);
  } catch (err) {
    return `could not run: ${(err as Error).message}`;
  }
  const expected = specStatus(op);
  if (answer.status !== expected) return `answered ${answer.status} (spec: ${expected}): ${JSON.stringify(answer.body)}`;
  const problem = schemaProblem(op, answer.body);
  if (problem) return problem;
  // With every parameter filled, filters (given made-up values) may rightly empty the list.
  if (fill === 'required' && op.kind === 'list' && builderMadeOne(op) && ((answer.body as Record<string, unknown[]>)[op.spec.lk!] ?? []).length !== 1) return 'the instance created first is not listed';
  return undefined;
}

/** Lists whose items the test creates first through a create at the same path. */
const listable = new Set(allOperations().filter((o) => o.kind === 'create' && !o.spec.own && !o.spec.sg).map((o) => `${o.domain.label} ${o.path}`));
const builderMadeOne = (op: GenericOperation) => listable.has(`${op.domain.label} ${op.path}`);

const OPERATIONS = allOperations();

describe.each<Fill>(['required', 'all'])('every spec operation, %s parameters', (fill) => {
  it(`answers with its spec's status and a schema-valid body (${OPERATIONS.length} operations)`, async () => {
    const failures: string[] = [];
    for (const op of OPERATIONS) {
      const reason = await check(op, fill);
      if (reason) failures.push(`${op.id} ${op.method} ${op.path}: ${reason}`);
    }
    // The number the docs quote (docs/generic-engine.md "Conformance").
    console.log(`generic conformance (${fill} parameters): ${OPERATIONS.length - failures.length} of ${OPERATIONS.length} operations answer, schema-valid`);
    expect(failures).toEqual([]);
  });
});

it('covers all 1,447 operations of the 55 specs', () => {
  expect(OPERATIONS).toHaveLength(1447);
  expect(new Set(OPERATIONS.map((o) => o.id)).size).toBe(1447);
});
