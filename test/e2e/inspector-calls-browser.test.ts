/**
 * Issue #18 in a real browser: the inspector page opens a call (a CA… SID) and shows its detail —
 * its status, its transcript line by line and its alerts — next to its callbacks and TwiML
 * requests. Needs /usr/bin/chromium; skipped, saying so, where it is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const CHROMIUM = '/usr/bin/chromium';
const FROM = '+15555550123';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const suite = existsSync(CHROMIUM) ? describe : describe.skip;

suite(existsSync(CHROMIUM) ? 'inspector page shows a call' : `inspector page shows a call (SKIPPED: ${CHROMIUM} is not installed)`, () => {
  let tm: TestMirror;
  let app: TwimlApp;
  let context: BrowserContext;
  let profile: string;
  let sid = '';

  beforeAll(async () => {
    app = await startTwimlApp();
    app.route('/voice', '<Response><Say>Hello from the inspector.</Say><Play digits="12"/><Oops/></Response>');
    app.route('/status', { status: 204 });
    tm = await startTestMirror({ seed: { name: 'inspect-browser', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] } });
    sid = (await tm.client().calls.create({ to: '+15551230000', from: FROM, url: `${app.url}/voice`, statusCallback: `${app.url}/status` })).sid;
    await tm.advance(15_000);
    profile = mkdtempSync(join(tmpdir(), 'mirra-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await app?.close();
    await tm?.close();
  });

  it("opens a call's detail: status, transcript, alerts and callbacks", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${tm.url}/_mirra/#session=default&message=${sid}`);
    const detail = page.locator('#detail');
    await detail.waitFor({ state: 'visible' });
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#detail .transitions li').length >= 4);
    const text = await detail.innerText();
    expect(text).toContain(`Call ${sid}`);
    expect(text).toMatch(/status\s+completed/);
    expect(await page.locator('#detail .transitions li').allInnerTexts()).toEqual([
      expect.stringMatching(/ requested POST http:\/\/127\.0\.0\.1:\d+\/voice \(url\)$/),
      expect.stringMatching(/ said "Hello from the inspector\."$/),
      expect.stringMatching(/ played digits 12$/),
      expect.stringMatching(/ hung up \(end-of-twiml\)$/),
    ]);
    expect(text).toContain('12200 (warning)');
    expect(text).toMatch(/call status callback \(completed\) → POST http:\/\/127\.0\.0\.1:\d+\/status: 204/);
    expect(text).toContain('TwiML request');
  }, 30_000);
});
