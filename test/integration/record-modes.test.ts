/**
 * Record modes (`--record once|new|none|all`, src/record/modes.ts): the real twilio SDK (base-URL
 * mode) records through `startRecorder` against a local mirra standing in for Twilio, behind a
 * proxy that counts what really reaches the upstream. `once` records a missing cassette and only
 * answers from an existing one; `new` forwards only what the cassette lacks and appends it,
 * deterministically; `none` refuses a miss with the fix; `all` re-records; the end-of-run summary
 * lists the new and the unused interactions.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import twilio from 'twilio';
import { cassettePath, loadCassette } from '../../src/cassette/codec';
import { recordSummary } from '../../src/record/progress';
import { RecordingStore } from '../../src/record/recording-store';
import { startRecorder, type RecorderOptions } from '../../src/mirror/start-recorder';
import { writeTextForm } from '../../src/record/text-form';
import { MemoryStore } from '../../src/store/memory-store';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { pointAt, startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';
import { listenLocal } from '../helpers/listen';

const FROM = '+15555550123';
const TO = '+15551230000';
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

/** A stand-in for Twilio, behind a proxy that logs every request that reaches it. */
interface Upstream {
  url: string;
  mirror: TestMirror;
  /** `METHOD path` of each request that reached the upstream. */
  seen: string[];
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  const mirror = await startTestMirror({ proxy: false, seed: { name: 'modes', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${(req.url ?? '').replace(/\?.*$/, '')}`);
    const up = http.request(mirror.url + req.url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(up);
  });
  const listening = await listenLocal(server);
  return {
    url: listening.url,
    mirror,
    seen,
    close: async () => {
      await listening.close();
      await mirror.close();
    },
  };
}

/** What the app saw of one call: the answer's fields that matter, or the error. */
type Outcome = { sid: string; status: string; body: string } | { sids: string[] } | { error: { status: number; code: number | string; message: string } };

/** The app's steps; `send:X` sends body X, `fetch` re-reads the last message sent, `list` lists. */
async function runApp(client: twilio.Twilio, steps: string[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let last = '';
  for (const step of steps) {
    try {
      if (step.startsWith('send:')) {
        const m = await client.messages.create({ to: TO, from: FROM, body: step.slice(5) });
        last = m.sid;
        out.push({ sid: m.sid, status: m.status, body: m.body });
      } else if (step === 'fetch') {
        const m = await client.messages(last).fetch();
        out.push({ sid: m.sid, status: m.status, body: m.body });
      } else if (step === 'update') {
        const m = await client.messages(last).update({ body: '' });
        out.push({ sid: m.sid, status: m.status, body: m.body });
      } else if (step === 'list') {
        out.push({ sids: (await client.messages.list({ limit: 5 })).map((m) => m.sid) });
      }
    } catch (e) {
      const err = e as { status: number; code: number | string; message: string };
      out.push({ error: { status: err.status, code: err.code, message: err.message } });
    }
  }
  return out;
}

/** One recording run of `steps` in `mode` against a fresh upstream. */
async function recordRun(dir: string, steps: string[], extra: Partial<RecorderOptions> = {}) {
  const up = await startUpstream();
  const rec = await startRecorder({ cassette: 'flow', upstream: up.url, port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes'), ...extra });
  try {
    const outcomes = await runApp(pointAt(twilio(up.mirror.accountSid, up.mirror.authToken), rec.url), steps);
    const result = await rec.stop();
    return { outcomes, result, rec, seen: [...up.seen], accountSid: up.mirror.accountSid, summary: recordSummary(rec, result) };
  } finally {
    await rec.stop();
    await up.close();
  }
}

/** Every project directory made here, removed at the end. */
const dirs: string[] = [];
function projectDir(): string {
  const dir = tempDir('mirra-modes-');
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const fileOf = (dir: string) => cassettePath(join(dir, 'cassettes'), 'flow');
const bytesOf = (dir: string) => readFileSync(fileOf(dir));

/** A project directory holding a copy of cassette `from`'s file. */
function copyOf(from: string): string {
  const dir = projectDir();
  mkdirSync(dirname(fileOf(dir)), { recursive: true });
  copyFileSync(fileOf(from), fileOf(dir));
  return dir;
}

describe('record modes', () => {
  /** The first recording: send, fetch, list (recorded with the default mode on a missing cassette). */
  const first = projectDir();
  let firstRun: Awaited<ReturnType<typeof recordRun>>;

  beforeAll(async () => {
    firstRun = await recordRun(first, ['send:one', 'fetch', 'list']);
  }, 30_000);

  it('once (the default) records everything when the cassette is missing', () => {
    expect(firstRun.rec.plan).toEqual({ mode: 'once', serve: false, forward: true, write: 'overwrite' });
    expect(firstRun.seen).toEqual(['POST /2010-04-01/Accounts/' + firstRun.accountSid + '/Messages.json', expect.stringMatching(/^GET .*\/Messages\/SM[0-9a-f]{32}\.json$/), expect.stringMatching(/^GET .*\/Messages\.json$/)]);
    expect(firstRun.result.written).toBe(true);
    const c = loadCassette(join(first, 'cassettes'), 'flow');
    expect(c.interactions.map((i) => [i.seq, i.request.method, i.request.path])).toEqual([
      [1, 'POST', MSGS],
      [2, 'GET', '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json'],
      [3, 'GET', MSGS],
    ]);
  });

  it('once on an existing cassette forwards nothing, answers from it, and leaves the file alone', async () => {
    const dir = copyOf(first);
    const before = bytesOf(dir);
    const run = await recordRun(dir, ['send:one', 'fetch', 'list', 'send:not recorded']);
    expect(run.seen).toEqual([]);
    expect(run.rec.plan).toMatchObject({ serve: true, forward: false, write: 'keep' });
    const [sent, fetched, listed, missed] = run.outcomes as any[];
    expect(sent).toMatchObject({ status: 'queued', body: 'one' });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fetched).toEqual(sent); // the served SID is this run's, and the recorded fetch answers for it
    expect(listed.sids).toEqual([sent.sid]);
    expect(missed.error).toMatchObject({ status: 400, code: 'MIRRA_ERR_NO_RECORDING' });
    expect(missed.error.message).toContain('form.Body: recorded "one", got "not recorded"');
    expect(missed.error.message).toContain('Fix: --record once does not record into an existing cassette: add what is missing with `mirra record --cassette flow --record new`, or re-record everything with `--record all`');
    expect(run.result.written).toBe(false);
    expect(bytesOf(dir).equals(before)).toBe(true);
    expect(run.rec.recorder.counts).toMatchObject({ served: 3, misses: 1, interactions: 0 });
  }, 30_000);

  describe('new', () => {
    /** Served: send one, fetch. Not used: the list. New: an update of the served message (unknown upstream), send two, fetch it. */
    const steps = ['send:one', 'fetch', 'update', 'send:two', 'fetch'];
    let dir: string;
    let run: Awaited<ReturnType<typeof recordRun>>;
    let before: Buffer;
    const store = new MemoryStore();

    beforeAll(async () => {
      dir = copyOf(first);
      before = bytesOf(dir);
      run = await recordRun(dir, steps, { mode: 'new', store });
    }, 30_000);

    it('forwards only the requests the cassette lacks', () => {
      expect(run.seen).toEqual([
        expect.stringMatching(/^POST .*\/Messages\/SM[0-9a-f]{32}\.json$/),
        'POST /2010-04-01/Accounts/' + run.accountSid + '/Messages.json',
        expect.stringMatching(/^GET .*\/Messages\/SM[0-9a-f]{32}\.json$/),
      ]);
      const [sent, fetched, updated, two, fetchedTwo] = run.outcomes as any[];
      expect(fetched).toEqual(sent);
      // The served message exists only in the cassette: the upstream does not know it.
      expect(updated.error).toMatchObject({ status: 404, code: 20404 });
      expect(two).toMatchObject({ status: 'queued', body: 'two' });
      expect(fetchedTwo).toEqual(two);
      expect(run.rec.recorder.counts).toMatchObject({ served: 2, interactions: 3, misses: 0 });
    });

    it('writes the old interactions unchanged, then the new ones, with consistent aliases', () => {
      const text = bytesOf(dir).toString();
      const old = before.toString();
      expect(text.startsWith(old.slice(0, old.lastIndexOf('\n  ]')) + ',\n')).toBe(true);
      const c = loadCassette(join(dir, 'cassettes'), 'flow');
      expect(c.interactions.map((i) => [i.seq, i.request.method, i.request.path, i.response?.status])).toEqual([
        [1, 'POST', MSGS, 201],
        [2, 'GET', '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', 200],
        [3, 'GET', MSGS, 200],
        // the served message keeps the alias it was served for; the new one takes the next
        [4, 'POST', '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json', 404],
        [5, 'POST', MSGS, 201],
        [6, 'GET', '/2010-04-01/Accounts/{AccountSid}/Messages/{SM#2}.json', 200],
      ]);
      expect(c.interactions[4].response!.body).toMatchObject({ sid: '{SM#2}', body: 'two', account_sid: '{AccountSid}' });
      expect(text).not.toMatch(/AC[0-9a-f]{32}|SM[0-9a-f]{32}/);
    });

    it('appends once, however often the working store is written (crash recovery)', () => {
      const written = bytesOf(dir);
      const again = writeTextForm(new RecordingStore(store), 'flow', join(dir, 'cassettes'), Date.UTC(2030, 0, 1));
      expect(again.recorded.map((i) => i.seq)).toEqual([4, 5, 6]);
      expect(bytesOf(dir).equals(written)).toBe(true);
    });

    it('gives byte-identical files for the same run appended to the same cassette', async () => {
      const other = copyOf(first);
      await recordRun(other, steps, { mode: 'new' });
      expect(bytesOf(other).equals(bytesOf(dir))).toBe(true);
    }, 30_000);

    it('forwards nothing and leaves the file as it is when re-run with the same requests', async () => {
      const written = bytesOf(dir);
      const again = await recordRun(dir, steps, { mode: 'new' });
      expect(again.seen).toEqual([]);
      expect(again.outcomes).toHaveLength(steps.length);
      expect((again.outcomes[2] as any).error).toMatchObject({ status: 404, code: 20404 }); // the recorded 404, served
      expect(again.result.written).toBe(false);
      expect(bytesOf(dir).equals(written)).toBe(true);
    }, 30_000);

    it('ends with a summary naming the new and the unused interactions', () => {
      expect(run.summary).toBe(
        [
          'mirra record flow: 3 new, 2 served from the cassette, 1 unused, 0 callbacks captured',
          `  new #4 POST /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json`,
          `  new #5 POST ${MSGS}`,
          `  new #6 GET /2010-04-01/Accounts/{AccountSid}/Messages/{SM#2}.json`,
          `  unused #3 GET ${MSGS}`,
          '',
        ].join('\n'),
      );
    });
  });

  describe('none', () => {
    it('refuses to start without a cassette, naming the fix', async () => {
      const dir = projectDir();
      await expect(startRecorder({ cassette: 'flow', upstream: 'http://127.0.0.1:9', port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes'), mode: 'none' })).rejects.toMatchObject({
        code: 'MIRRA_ERR_UNKNOWN_CASSETTE',
        message: expect.stringContaining('Fix: record it first: `mirra record --cassette flow` (--record once)'),
      });
    });

    it('answers from the cassette and a miss with MIRRA_ERR_NO_RECORDING naming the fix; forwards nothing', async () => {
      const dir = copyOf(first);
      const before = bytesOf(dir);
      const run = await recordRun(dir, ['send:one', 'send:two'], { mode: 'none' });
      expect(run.seen).toEqual([]);
      const [sent, missed] = run.outcomes as any[];
      expect(sent).toMatchObject({ status: 'queued', body: 'one' });
      expect(missed.error).toMatchObject({ status: 400, code: 'MIRRA_ERR_NO_RECORDING' });
      expect(missed.error.message).toContain('Nearest: #1 POST /2010-04-01/Accounts/{AccountSid}/Messages.json (api) [already served]: form.Body: recorded "one", got "two"');
      expect(missed.error.message).toContain('Fix: --record none never records: add what is missing with `mirra record --cassette flow --record new`');
      expect(bytesOf(dir).equals(before)).toBe(true);
      expect(run.summary).toBe(
        ['mirra record flow: 1 served from the cassette, 2 unused, 1 miss (answered with MIRRA_ERR_NO_RECORDING)', `  unused #2 GET /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json`, `  unused #3 GET ${MSGS}`, ''].join('\n'),
      );
    }, 30_000);
  });

  it('all re-records everything and overwrites the file', async () => {
    const dir = copyOf(first);
    const run = await recordRun(dir, ['send:uno', 'fetch'], { mode: 'all' });
    expect(run.seen).toHaveLength(2);
    expect(run.rec.plan).toEqual({ mode: 'all', serve: false, forward: true, write: 'overwrite' });
    const c = loadCassette(join(dir, 'cassettes'), 'flow');
    expect(c.interactions.map((i) => [i.seq, i.request.method, i.request.form.find(([k]) => k === 'Body')?.[1]])).toEqual([
      [1, 'POST', 'uno'],
      [2, 'GET', undefined],
    ]);
    expect(run.summary).toBe(['mirra record flow: 2 new, 0 callbacks captured', `  new #1 POST ${MSGS}`, `  new #2 GET /2010-04-01/Accounts/{AccountSid}/Messages/{SM#1}.json`, ''].join('\n'));
  }, 30_000);

  it('`mirra record --record none -- CMD` answers the command from the cassette and prints the summary', async () => {
    const dir = copyOf(first);
    const up = await startUpstream();
    const app = `require('twilio')().messages.create({ to: '${TO}', from: '${FROM}', body: 'one' }).then((m) => console.log('sent', m.status));`;
    const cli = `
      const fs = require('fs'); const swc = require('@swc/core');
      require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'),
        { filename: f, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }).code, f);
      require('./src/cli/main.ts').main(process.argv.slice(1));
    `;
    try {
      const res = await runCommand(
        process.execPath,
        ['-e', cli, 'record', '--cassette', 'flow', '--record', 'none', '--upstream', up.url, '--data-dir', join(dir, 'data'), '--cassettes-dir', join(dir, 'cassettes'), '--', process.execPath, '-e', app],
        { TWILIO_ACCOUNT_SID: up.mirror.accountSid, TWILIO_AUTH_TOKEN: up.mirror.authToken },
        30_000,
        REPO_ROOT,
      );
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('sent queued');
      expect(up.seen).toEqual([]);
      expect(res.stderr).toContain('answering from');
      expect(res.stderr).toContain('mirra record flow: 1 served, 0 misses\n');
      expect(res.stderr).toMatch(/left .*flow\.cassette\.json as it was \(3 interactions, 0 callbacks; --record none\)/);
      expect(res.stderr).toContain('mirra record flow: 1 served from the cassette, 2 unused, 0 misses\n');
    } finally {
      await up.close();
    }
  }, 30_000);
});
