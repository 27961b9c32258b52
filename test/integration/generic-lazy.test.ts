/**
 * Start-up pays nothing for the generic engine (`mirra up` must be healthy in under 500 ms): the
 * engine, its overrides and its 38 tables load on the first request the engine serves, not when
 * the mirror starts nor for the hand-built resources' requests.
 */
import type * as MirrorHelpers from '../helpers/mirror';

it('loads the engine on the first request it serves, not at start-up', async () => {
  const loaded: string[] = [];
  for (const [name, path] of [
    ['engine', '../../src/twilio/generic/engine'],
    ['conversations overrides', '../../src/twilio/conversations/overrides'],
    ['api table', '../../src/twilio/generic/generated/api'],
  ]) {
    jest.doMock(path, () => {
      loaded.push(name);
      return jest.requireActual(path);
    });
  }
  const { startTestMirror } = require('../helpers/mirror') as typeof MirrorHelpers;
  const tm = await startTestMirror({ proxy: false, seed: { name: 'lazy', clock: { frozen: true } } });
  try {
    expect(loaded).toEqual([]);
    expect((await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`)).status).toBe(200); // hand-built
    expect(loaded).toEqual([]);
    expect((await tm.api('GET', '/conversations/v1/Conversations')).status).toBe(200);
    expect(loaded).toEqual(['engine', 'conversations overrides']);
    expect((await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Queues.json`)).status).toBe(200);
    expect(loaded).toEqual(['engine', 'conversations overrides', 'api table']);
  } finally {
    await tm.close();
  }
});
