/**
 * A large cassette (8 MiB or more) is replayed from its on-disk index (issue #14 item 4): the first
 * mirror on a data dir builds it, the next reuses it while the file is unchanged and builds it
 * again once the file changes (`GET /_mirra/replay` says which), and through the real twilio SDK a
 * replay from the index answers, applies state and explains a --strict miss as one from memory does.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCassette } from '../../src/cassette/codec';
import type { Cassette } from '../../src/cassette/types';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const FROM = '+15555550123';
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const SEED = { name: 'disk-index', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] };
/** A body big enough that a few interactions make the file pass the 8 MiB threshold. */
const BULK = 'x'.repeat(1024 * 1024);

/** A send to `to`, its fetch and a filtered list, then nine bulky reads of other paths. */
function cassette(to: string): Cassette {
  return cassetteOf('big', [
    { method: 'POST', path: MSGS, status: 201, form: { To: to, From: FROM, Body: 'hello' }, body: recordedMessage('{SM#1}', { to }) },
    { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', body: recordedMessage('{SM#1}', { to, status: 'delivered' }) },
    ...Array.from({ length: 9 }, (_, i) => ({ method: 'GET', path: `/2010-04-01/Accounts/{AccountSid}/Calls.json`, query: { PageSize: String(i + 1) }, body: { calls: [], bulk: BULK } })),
  ]);
}

describe('replay from the on-disk index', () => {
  let dir: string;
  let mirror: TestMirror | undefined;
  beforeEach(() => {
    dir = tempDir('mirra-disk-index-');
  });
  afterEach(async () => {
    await mirror?.close();
    mirror = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (file: string) => (mirror = await startTestMirror({ cassette: file, strict: true, seed: SEED, dataDir: join(dir, 'data') }));

  it('is built by the first mirror, reused by the next while the file is unchanged, and built again after a change', async () => {
    const file = join(dir, 'big.cassette.json');
    writeFileSync(file, formatCassette(cassette('+15551230000')));
    expect((await (await start(file)).control('GET', '/_mirra/replay')).body).toMatchObject({ index: 'disk (built)', interactions: 11 });
    await mirror!.close();
    expect((await (await start(file)).control('GET', '/_mirra/replay')).body).toMatchObject({ index: 'disk (reused)', interactions: 11 });
    await mirror!.close();
    writeFileSync(file, formatCassette(cassette('+15551230001')));
    const changed = await start(file);
    expect((await changed.control('GET', '/_mirra/replay')).body).toMatchObject({ index: 'disk (built)' });
    // The new version is the one served.
    const sent = await changed.client().messages.create({ to: '+15551230001', from: FROM, body: 'hello' });
    expect(sent.to).toBe('+15551230001');
  });

  it('serves, applies state and explains a miss as a replay from memory does', async () => {
    const file = join(dir, 'big.cassette.json');
    writeFileSync(file, formatCassette(cassette('+15551230000')));
    const tm = await start(file);
    const client = tm.client();
    const sent = await client.messages.create({ to: '+15551230000', from: FROM, body: 'hello' });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.accountSid).toBe(tm.accountSid);
    const fetched = await client.messages(sent.sid).fetch();
    expect(fetched).toMatchObject({ sid: sent.sid, status: 'delivered' });
    expect(await tm.inspect('messages', sent.sid)).toMatchObject({ sid: sent.sid }); // applied to the session's state
    const summary = (await tm.control('GET', '/_mirra/replay')).body;
    expect(summary).toMatchObject({ index: 'disk (built)', served: 2, unusedCount: 9 });
    expect(summary.unused.slice(0, 2)).toEqual([
      { seq: 3, method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Calls.json' },
      { seq: 4, method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Calls.json' },
    ]);
    const miss = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { To: '+15551230000', From: FROM, Body: 'helo' });
    expect(miss.status).toBe(400);
    expect(miss.body).toMatchObject({ code: 'MIRRA_ERR_NO_RECORDING', reason: 'no-match' });
    expect(miss.body.nearest[0]).toMatchObject({ seq: 1, used: true, differences: [{ field: 'form.Body', recorded: 'hello', actual: 'helo' }] });
  });
});
