/**
 * Issue #7 part 2 in a real browser: Debian's headless Chromium (driven by playwright-core) opens
 * the mirror's `/_mirra/` page while messages with status callbacks flow, and a person would see
 * the timeline fill in, narrow it to one SID, open a message's detail view with its transitions
 * and its callbacks (signature, the app's answer, retries). A screenshot proves the page renders
 * (a PNG with real content, decoded by the browser itself).
 *
 * Needs /usr/bin/chromium (`apt-get install -y --no-install-recommends chromium`); skipped, saying
 * so, where it is absent.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';

const CHROMIUM = '/usr/bin/chromium';
const FROM = '+15555550123';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const suite = existsSync(CHROMIUM) ? describe : describe.skip;
const title = existsSync(CHROMIUM)
  ? 'inspector page in headless Chromium'
  : `inspector page in headless Chromium (SKIPPED: ${CHROMIUM} is not installed; apt-get install -y --no-install-recommends chromium)`;

/** Decodes a PNG in the page itself and measures it: size, distinct colours, share of non-background pixels. */
async function measurePng(page: Page, png: Buffer): Promise<{ width: number; height: number; colours: number; inked: number }> {
  // Runs in the page (this file is typed without the DOM library, hence `any`).
  return page.evaluate(async (b64) => {
    const w = globalThis as any;
    const img = new w.Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = w.document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = Math.max(...counts.values());
    const total = data.length / 4;
    return { width: canvas.width, height: canvas.height, colours: counts.size, inked: (total - background) / total };
  }, png.toString('base64'));
}

suite(title, () => {
  let tm: TestMirror;
  let ok: Receiver;
  let failing: Receiver;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const sent: { delivered: string; retried: string; other: string } = { delivered: '', retried: '', other: '' };

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    ok = await startReceiver();
    failing = await startReceiver();
    failing.respond(500, 'app exploded');
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    const send = async (to: string, body: string, callback?: string) => {
      const res = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { To: to, From: FROM, Body: body, ...(callback ? { StatusCallback: callback } : {}) });
      expect(res.status).toBe(201);
      return res.body.sid as string;
    };
    sent.delivered = await send('+15551230001', 'hello inspector', `${ok.url}/status`);
    sent.retried = await send('+15551230002', 'this one retries', `${failing.url}/status#rc=1&rp=5xx`);
    sent.other = await send('+15559870003', 'unrelated');
    for (let i = 0; i < 8; i++) await tm.advance(1000);
    await ok.waitFor(3);
    profile = mkdtempSync(join(tmpdir(), 'mirra-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await ok?.close();
    await failing?.close();
    await tm?.close();
  });

  it('renders the live timeline: requests, status transitions and callbacks', async () => {
    await page.goto(`${tm.url}/_mirra/#session=default`);
    await page.waitForSelector('#timeline li.type-callback');
    const rows = page.locator('#timeline li');
    expect(await rows.count()).toBeGreaterThanOrEqual(20);
    const text = await page.locator('#timeline').innerText();
    expect(text).toContain(`POST /2010-04-01/Accounts/${tm.accountSid.slice(0, 6)}…/Messages.json → 201 ${sent.delivered} queued to +15551230001`);
    expect(text).toContain(`message ${sent.delivered} → delivered`);
    expect(text).toMatch(/status callback \(delivered\) → POST http:\/\/127\.0\.0\.1:\d+\/status: 200/);
    expect(text).toMatch(/status callback \(sending\) → POST http:\/\/127\.0\.0\.1:\d+\/status#rc=1&rp=5xx: failed: 11200 500 after 2 attempts/);
    expect(text).toContain('clock advanceMs=1000');
    expect(await page.locator('#summary').innerText()).toContain(`Session default (${tm.accountSid}, seed verified-numbers)`);
  });

  it('picks up new events while open (live)', async () => {
    const before = await page.locator('#timeline li').count();
    await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { To: '+15551230009', From: FROM, Body: 'late arrival' });
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#timeline li').length > n, before, { timeout: 10_000 });
    expect(await page.locator('#timeline').innerText()).toContain('+15551230009');
  });

  it('filters by SID and by number', async () => {
    await page.fill('#filter', sent.delivered);
    await page.waitForFunction((sid) => {
      const rows = [...(globalThis as any).document.querySelectorAll('#timeline li')];
      return rows.length > 0 && rows.every((r: any) => r.textContent.includes(sid));
    }, sent.delivered, { timeout: 10_000 });
    const text = await page.locator('#timeline').innerText();
    expect(text).not.toContain(sent.retried);
    expect(text).not.toContain(sent.other);
    expect(page.url()).toContain(`q=${sent.delivered}`);

    await page.fill('#filter', '(555) 987-0003');
    await page.waitForFunction((sid) => {
      const rows = [...(globalThis as any).document.querySelectorAll('#timeline li')];
      return rows.length > 0 && rows.every((r: any) => r.textContent.includes(sid));
    }, sent.other, { timeout: 10_000 });
    expect(await page.locator('#timeline').innerText()).not.toContain(sent.delivered);
  });

  it('opens a message’s detail view with transitions and callbacks (signature, answer, retries)', async () => {
    await page.fill('#filter', sent.retried);
    await page.waitForFunction((sid) => [...(globalThis as any).document.querySelectorAll('#timeline li')].every((r: any) => r.textContent.includes(sid)), sent.retried);
    await page.locator('#timeline button.sid', { hasText: sent.retried }).first().click();
    const detail = page.locator('#detail');
    await detail.waitFor({ state: 'visible' });
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#detail .callback').length === 3);
    const text = await detail.innerText();
    expect(text).toContain(`Message ${sent.retried}`);
    expect(await page.locator('#detail .transitions li').allInnerTexts()).toEqual([
      expect.stringMatching(/ queued$/),
      expect.stringMatching(/ sending$/),
      expect.stringMatching(/ sent$/),
      expect.stringMatching(/ delivered$/),
    ]);
    expect(text).toContain('X-Twilio-Signature');
    // The signature shown is the one the app received with its first callback.
    expect(text).toContain(String(failing.received[0].headers['x-twilio-signature']));
    expect(text).toContain("app's answer");
    expect(text).toContain('500 app exploded');
    expect(text).toMatch(/retries\s+1/);
    expect(page.url()).toContain(`message=${sent.retried}`);
  });

  it('renders to a real picture (screenshot check)', async () => {
    await page.fill('#filter', '');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#timeline li').length >= 20);
    const png = await page.screenshot({ fullPage: false });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const out = join(process.env.MIRRA_SCREENSHOT_DIR ?? tmpdir(), 'mirra-inspector.png');
    writeFileSync(out, png);
    const shot = await measurePng(page, png);
    expect(shot).toMatchObject({ width: 1280, height: 900 });
    // A blank or single-colour page has a handful of colours and nothing but background.
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.inked).toBeGreaterThan(0.05);
    // The timeline itself, not just the header, has content.
    const timeline = await measurePng(page, await page.locator('#timeline').screenshot());
    expect(timeline.colours).toBeGreaterThan(20);
    expect(timeline.inked).toBeGreaterThan(0.05);
  });
});
