/**
 * mirra/vitest in a user project (issue #13 item 1): a project whose vitest.config has one mirra
 * line (test/fixtures/vitest-project), run by a real Vitest (4.x, Node 20) with two parallel
 * workers. Each worker gets its own session, tests reset between each other, a file replays a
 * cassette in strict mode and another records one, and the run ends with mirra's summary — the
 * same harness as mirra/jest.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'vitest-project');
const VITEST_BIN = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const FROM = '+15555550123';

describe('mirra/vitest in a user project (one line of config, parallel workers)', () => {
  let project: string;
  let standIn: TestMirror;
  let output: string;
  let code: number;
  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'vitest', 'index.mjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    project = tempDir('mirra-vitest-project-');
    cpSync(FIXTURE, project, { recursive: true });
    mkdirSync(join(project, 'node_modules'));
    for (const [name, target] of [['mirra', REPO_ROOT], ['twilio', join(REPO_ROOT, 'node_modules', 'twilio')], ['vitest', join(REPO_ROOT, 'node_modules', 'vitest')]]) symlinkSync(target, join(project, 'node_modules', name), 'dir');
    mkdirSync(join(project, 'out'));
    standIn = await startTestMirror({ proxy: false, seed: { name: 'stand-in', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
    // The cassette the replaying file answers from: recorded, never written by hand.
    const scenario = join(REPO_ROOT, 'test', 'fixtures', 'jest-record-project');
    const rec = await runCommand(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'mirra.js'), 'record', '--cassette', 'scenario', '--upstream', standIn.url, '--data-dir', join(project, '.mirra-rec'), '--cassettes-dir', join(project, 'cassettes'), '--', process.execPath, join(scenario, 'run-scenario.js')],
      { TWILIO_ACCOUNT_SID: standIn.accountSid, TWILIO_AUTH_TOKEN: standIn.authToken, FROM, NODE_PATH: join(REPO_ROOT, 'node_modules') },
      60_000,
      project,
    );
    if (rec.code !== 0) throw new Error(`recording the scenario failed:\n${rec.stderr}`);
    const env = {
      MIRRA_FIXTURE_OUT: join(project, 'out'),
      STANDIN_URL: standIn.url,
      STANDIN_ACCOUNT_SID: standIn.accountSid,
      STANDIN_AUTH_TOKEN: standIn.authToken,
      CI: 'true',
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      NODE_OPTIONS: undefined,
      JEST_WORKER_ID: undefined,
    };
    const run = await runCommand(process.execPath, [VITEST_BIN, 'run', '--config', 'vitest.config.mjs'], env, 120_000, project);
    output = run.stdout + run.stderr;
    code = run.code;
  }, 180_000);
  afterAll(async () => {
    await standIn?.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('runs the suite green: each file’s tests, one session per worker, in parallel', () => {
    if (code !== 0) throw new Error(`the fixture run failed (exit ${code}):\n${output}`);
    expect(output).toMatch(/Test Files\s+4 passed \(4\)/);
    expect(output).toMatch(/Tests\s+7 passed \(7\)/);
    const notes = readdirSync(join(project, 'out')).map((f) => JSON.parse(readFileSync(join(project, 'out', f), 'utf8')));
    expect(notes).toHaveLength(2);
    expect(new Set(notes.map((n) => n.pid)).size).toBe(2);
    for (const n of notes) expect(n.session).toBe(`vitest-${n.pool}`);
  });

  it('records a cassette in process and summarises the run with the fix for a lost callback', () => {
    const recorded = JSON.parse(readFileSync(join(project, 'cassettes', 'vitest-recorded.cassette.json'), 'utf8'));
    expect(recorded.interactions.map((i: { request: { method: string } }) => i.request.method)).toEqual(['POST', 'GET']);
    expect(output).toMatch(/mirra: 4 test files, 7 tests, \d sessions? \(vitest-\d(, vitest-\d)*\); \d+ callbacks? delivered, 3 failed\./);
    expect(output).toMatch(/mirra: 3 × status-callback POST http:\/\/127\.0\.0\.1:\d+\/gone#rc=0 failed \(ECONNREFUSED\) in sms\.test\.mjs › a callback nobody receives is reported at the end of the run: nothing listens at that URL/);
    expect(output).toMatch(/mirra record vitest-recorded: wrote cassettes\/vitest-recorded\.cassette\.json \(2 interactions recorded, 2 in all\)\./);
    // The strict replay refused the request its cassette lacks, and the summary says so.
    expect(output).toMatch(/mirra: 1 request matched no entry of cassette scenario in replay\.test\.mjs/);
  });
});
