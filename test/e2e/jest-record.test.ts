/**
 * Recording in process (issue #12): a user project whose Jest file says
 * `useMirror({ cassette: 'scenario', record: 'new', upstream })` runs its app against a plain
 * mirror standing in for Twilio, and the cassette it writes is byte-identical to the one
 * `mirra record --upstream … -- node run-scenario.js` writes for the same scenario — one pipeline,
 * one compiler, whichever transport (nock in process, the CONNECT/TLS proxy) carried the requests.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'jest-record-project');
const JEST_BIN = join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const FROM = '+15555550123';
/** A fresh stand-in for each run, its clock frozen, so both runs see the same answers. */
const standIn = () => startTestMirror({ proxy: false, seed: { name: 'stand-in', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });

function project(): string {
  const dir = tempDir('mirra-jest-record-');
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'mirra'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules', 'twilio'), join(dir, 'node_modules', 'twilio'), 'dir');
  return dir;
}

describe('recording in process with mirra/jest', () => {
  let inProcess: Buffer;
  let cli: Buffer;
  let jestOutput: string;
  const dirs: string[] = [];
  const mirrors: TestMirror[] = [];
  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'jest', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    // 1. Jest, in process: nock hands the app's requests to the recording mirror in a worker thread.
    const a = await standIn();
    mirrors.push(a);
    const jestProject = project();
    dirs.push(jestProject);
    const env = { STANDIN_URL: a.url, TWILIO_ACCOUNT_SID: a.accountSid, TWILIO_AUTH_TOKEN: a.authToken, FROM, CI: 'true', JEST_WORKER_ID: undefined, NODE_OPTIONS: undefined };
    const jest = await runCommand(process.execPath, [JEST_BIN, '--config', 'jest.config.js', '--cacheDirectory', join(jestProject, '.jest-cache')], env, 90_000, jestProject);
    jestOutput = jest.stdout + jest.stderr;
    if (jest.code !== 0) throw new Error(`the fixture run failed (exit ${jest.code}):\n${jestOutput}`);
    inProcess = readFileSync(join(jestProject, 'cassettes', 'scenario.cassette.json'));

    // 2. The CLI, in proxy mode: the same scenario as a plain program behind `mirra record`.
    const b = await standIn();
    mirrors.push(b);
    const cliProject = project();
    dirs.push(cliProject);
    const rec = await runCommand(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'mirra.js'), 'record', '--cassette', 'scenario', '--upstream', b.url, '--data-dir', join(cliProject, '.mirra'), '--', process.execPath, 'run-scenario.js'],
      { TWILIO_ACCOUNT_SID: b.accountSid, TWILIO_AUTH_TOKEN: b.authToken, FROM },
      60_000,
      cliProject,
    );
    if (rec.code !== 0) throw new Error(`mirra record failed (exit ${rec.code}):\n${rec.stderr}\n${rec.stdout}`);
    cli = readFileSync(join(cliProject, 'cassettes', 'scenario.cassette.json'));
  }, 180_000);
  afterAll(async () => {
    for (const m of mirrors) await m.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes the cassette with every interaction the app made, and says so at the end of the run', () => {
    const cassette = JSON.parse(inProcess.toString('utf8'));
    expect(cassette.interactions.map((i: { request: { method: string }; response: { status: number } }) => [i.request.method, i.response.status])).toEqual([
      ['POST', 201],
      ['GET', 200],
      ['GET', 200],
      ['POST', 400],
    ]);
    expect(jestOutput).toMatch(/mirra record scenario: wrote cassettes\/scenario\.cassette\.json \(4 interactions recorded, 4 in all\)/);
  });

  it('writes the very bytes `mirra record` writes for the same scenario', () => {
    expect(inProcess.toString('utf8')).toBe(cli.toString('utf8'));
  });
});
