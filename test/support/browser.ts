// The browser tests' one set of helpers (test/e2e/*-browser.test.ts): the project's own headless
// Chromium through puppeteer-core, one browser per test file, one context per signed-in person, and
// the page steps that drive Element Plus without racing it.
//
// Rules these helpers keep, so the tests pass on a loaded CI machine as on a quiet one:
// - nothing waits a fixed time: every wait is for something a person would see (a text, a page, a
//   closed dialog); a retry loop is bounded by a deadline, not a count of sleeps;
// - a confirm dialog is confirmed on the NEWEST box, then waited for until it is gone: Element Plus
//   keeps a closed ElMessageBox in the DOM for its fade-out (0.3 s, much longer under load), so a
//   plain `.el-message-box__btns .el-button--primary` can match the previous box and click nothing;
// - a click on a list that renders again is retried until what it opens is there.
//
// E2E_CPU_THROTTLE=4 (opt-in) slows every page's CPU that many times through the DevTools protocol
// (Emulation.setCPUThrottlingRate), which shakes these races out on a quiet machine:
//   E2E_CPU_THROTTLE=4 npm test -- test/e2e/dual-commitment-browser.test.ts
// E2E_SLOW_TRANSITIONS=2000 (opt-in) stretches Element Plus's transitions (dialogs, message boxes,
// dropdowns fading in and out) to that many ms, as a starved renderer does to a closing box.
// E2E_STEP_TIMES=1 prints how long each step took (where a slow file spends its time).
// With WEB_DOC_SCREENSHOTS=1, docShot leaves the README's screenshots in docs/.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page, Permission } from 'puppeteer-core';
import { projectRoot } from '../../config/config.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { pdfText } from '../reports/pdf-text.ts';

// Functions passed to page.evaluate / waitForFunction run in the browser, where these exist.
interface DomElement {
  textContent: string | null;
  innerText: string;
  className: string;
  dataset: Record<string, string | undefined>;
  style: { display: string };
  getClientRects(): { length: number };
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  fonts: { ready: Promise<unknown> };
};
declare const location: { pathname: string };
declare function requestAnimationFrame(callback: () => void): void;

export const PASSWORD = 'Demo@2026';
export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };
/** Where a failing step's screenshots and look() pictures go. */
export const SHOTS = path.join(projectRoot, 'test-screenshots');
/** Every wait of a page (puppeteer's default timeout of the pages made here). */
export const WAIT_MS = 30_000;
const throttle = Number(process.env.E2E_CPU_THROTTLE ?? 1);
const slowTransitions = Number(process.env.E2E_SLOW_TRANSITIONS ?? 0);

export interface NewPageOptions {
  phone?: boolean;
  /** Browser permissions granted to the page's origin (e.g. geolocation for check-ins). */
  permissions?: Permission[];
}

export interface BrowserSession {
  browser: Browser;
  /** The app's address once serve() has run, e.g. http://127.0.0.1:40123. */
  readonly base: string;
  /** Listens on a free port of 127.0.0.1 and remembers the address as `base`. */
  serve(server: FastifyInstance): Promise<string>;
  /** A page in a context of its own (its own cookies and storage: one person). */
  newPage(options?: NewPageOptions): Promise<Page>;
  /** A new person's page signed in through the login page, on 待办 (/todo). */
  signIn(login: string, options?: NewPageOptions & { password?: string }): Promise<Page>;
  /** Runs one step; when it fails every open page is saved under test-screenshots/ before the error goes on. */
  step<T>(name: string, run: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Launches the browser of one test file; `name` prefixes its failure screenshots. */
export async function openBrowser(name: string): Promise<BrowserSession> {
  const browser = await resolveExecutablePath().then(launchBrowser);
  const contexts: BrowserContext[] = [];
  let base = '';
  const session: BrowserSession = {
    browser,
    get base() {
      return base;
    },
    async serve(server) {
      await server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      return base;
    },
    async newPage(options = {}) {
      const context = await browser.createBrowserContext();
      contexts.push(context);
      if (options.permissions) await context.overridePermissions(base, options.permissions);
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      if (throttle > 1) await (await page.createCDPSession()).send('Emulation.setCPUThrottlingRate', { rate: throttle });
      if (slowTransitions > 0) await page.evaluateOnNewDocument(slowDown, slowTransitions);
      await page.setViewport(options.phone ? PHONE : DESKTOP);
      return page;
    },
    async signIn(login, options = {}) {
      const page = await session.newPage(options);
      await page.goto(`${base}/login`);
      await page.locator('input[name=login]').fill(login);
      await page.locator('input[name=password]').fill(options.password ?? PASSWORD);
      await page.locator('[data-test=sign-in]').click();
      await page.waitForFunction(() => location.pathname === '/todo');
      return page;
    },
    async step(stepName, run) {
      const started = Date.now();
      try {
        const result = await run();
        if (process.env.E2E_STEP_TIMES) process.stderr.write(`${name} · ${stepName}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return result;
      } catch (error) {
        await mkdir(SHOTS, { recursive: true });
        const pages = (await Promise.all(contexts.map((c) => c.pages().catch(() => [])))).flat();
        const file = (i: number) => path.join(SHOTS, `${name}-${stepName.replace(/\W+/g, '_')}-${i}.png`) as `${string}.png`;
        await Promise.all(pages.map((p, i) => p.screenshot({ path: file(i), fullPage: true }).catch(() => undefined)));
        throw new Error(`step "${stepName}" failed (screenshots in ${SHOTS}): ${(error as Error).message}`, { cause: error });
      }
    },
    async close() {
      await browser.close();
    },
  };
  return session;
}

/** In the page: Element Plus's transition durations set to `ms` (E2E_SLOW_TRANSITIONS). */
function slowDown(ms: number) {
  const doc = document as unknown as { addEventListener(e: string, f: () => void): void; head: { append(e: unknown): void }; createElement(t: string): { textContent: string } };
  doc.addEventListener('DOMContentLoaded', () => {
    const style = doc.createElement('style');
    style.textContent = `:root { --el-transition-duration: ${ms}ms !important; --el-transition-duration-fast: ${ms}ms !important }`;
    doc.head.append(style);
  });
}

/** The text a person reads in `selector` (innerText: what is shown, laid out). */
export const text = (page: Page, selector = 'body') => page.$eval(selector, (e) => (e as unknown as DomElement).innerText);

/** Waits until `selector` contains `wanted`; on timeout the error says what the page says instead. */
export async function waitText(page: Page, wanted: string, selector = 'body', timeout = WAIT_MS) {
  try {
    await page.waitForFunction((s, w) => Boolean(document.querySelector(s)?.textContent?.includes(w)), { timeout }, selector, wanted);
  } catch (error) {
    const shown = await page.evaluate((s) => document.querySelector(s)?.textContent ?? '(not on the page)', selector).catch(() => '(page gone)');
    throw new Error(`"${wanted}" not in ${selector} at ${page.url()}; it says: ${shown.slice(0, 600)}`, { cause: error });
  }
}

/** Waits until `selector` no longer contains `gone` (a list narrowed, a state left). */
export async function waitNoText(page: Page, gone: string, selector = 'body', timeout = WAIT_MS) {
  await page.waitForFunction((s, g) => !document.querySelector(s)?.textContent?.includes(g), { timeout }, selector, gone);
}

/**
 * Reloads until `wanted` is in `selector`: for what the workflows and reports do in the background,
 * which the open page does not poll for. Each look waits a little longer before the next reload
 * (1 s, then up to 4 s: a loaded machine may need that long to load and draw the page).
 */
export async function reloadUntilText(page: Page, wanted: string, selector = 'body', { within = 60_000 } = {}) {
  const deadline = Date.now() + within;
  for (let every = 1000; ; every = Math.min(every * 1.5, 4000)) {
    if (await waitText(page, wanted, selector, every).then(() => true, () => false)) return;
    if (Date.now() > deadline) break;
    await page.reload();
  }
  await waitText(page, wanted, selector, 1);
}

/** Reloads until `selector` is on the page (see reloadUntilText). */
export async function reloadUntil(page: Page, selector: string, { within = 60_000 } = {}) {
  const deadline = Date.now() + within;
  for (let every = 1000; ; every = Math.min(every * 1.5, 4000)) {
    if (await page.waitForSelector(selector, { timeout: every }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${selector} did not appear at ${page.url()} within ${within} ms`);
    await page.reload();
  }
}

/** Types over an input (triple click selects it, Backspace empties it): Element Plus inputs and textareas. */
export async function fill(page: Page, selector: string, value: string) {
  const input = await page.waitForSelector(selector, { visible: true });
  await input!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  if (value) await input!.type(value);
}

/** Replaces an input's text the way a person does: select all, type (date pickers and number inputs). */
export async function retype(page: Page, selector: string, value: string) {
  await page.locator(selector).click();
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.type(value);
}

/** Waits until no select dropdown or date panel is open (a closing panel still covers the fields below it). */
export const settle = (page: Page) =>
  page.waitForFunction(() => ![...document.querySelectorAll('.el-picker__popper, .el-select__popper')].some((e) => e.style.display !== 'none'));

/** Waits until no dialog, message box or its fading overlay covers the page (a click there lands on the overlay). */
export const settleOverlays = (page: Page) =>
  page.waitForFunction(() => [...document.querySelectorAll('.el-overlay')].every((o) => o.style.display === 'none'));

/**
 * Picks the option of the select in `cell` whose text starts with `label` (typing `search` first for a
 * remote one). Tables render every row's options, so only the open (shown) dropdown is searched; the
 * dropdown slides in, so the click waits for the option to stand still; the choice is checked on the
 * select itself and the pick tried again if the click missed.
 */
export async function choose(page: Page, cell: string, label: string, search?: string) {
  const option = `::-p-xpath(//div[contains(@class, "el-select__popper")][not(contains(@style, "display: none"))]`
    + `//li[contains(@class, "el-select-dropdown__item")][starts-with(normalize-space(.), "${label}")])`;
  for (let attempt = 0; ; attempt++) {
    await page.locator(`${cell} .el-select__wrapper`).click();
    if (search) await page.keyboard.type(search);
    await page.locator(option).click();
    const taken = await page
      .waitForFunction((s, l) => Boolean(document.querySelector(s)?.textContent?.includes(l)), { timeout: 3000 }, `${cell} .el-select__wrapper`, label)
      .then(() => true, () => false);
    if (taken) return;
    if (attempt === 2) throw new Error(`${cell} did not take "${label}"`);
    await page.keyboard.press('Escape');
    await settle(page);
  }
}

/** Types a date into the picker inside `holder`, confirms it with Enter and waits for the panel to close. */
export async function pickDate(page: Page, holder: string, date: string) {
  await fill(page, `${holder} input`, date);
  await page.keyboard.press('Enter');
  await settle(page);
}

let boxes = 0;
/**
 * Confirms the newest open ElMessageBox (optionally the one saying `saying`) and waits until it is gone.
 * - A box confirmed earlier or fading out is never the one clicked: Element Plus removes a closed box only
 *   after its leave transition, and under load the next box opens while the last one is still there.
 * - The box slides in (20 px in 0.3 s): the click waits for the button to stand still, and a click that
 *   missed anyway (the box neither leaving nor gone 3 s later) is made again.
 */
export async function confirmDialog(page: Page, { saying = '', button = 'primary' }: { saying?: string; button?: 'primary' | 'cancel' } = {}) {
  const mark = `box-${++boxes}`;
  await page.waitForFunction((m, w) => {
    const open = [...document.querySelectorAll('.el-message-box')].filter((box) => {
      const overlay = box.closest('.is-message-box') ?? box;
      return !overlay.dataset.e2eBox && !/-leave-/.test(overlay.className) && box.getClientRects().length > 0;
    });
    const newest = open.at(-1);
    if (!newest || !newest.textContent?.includes(w)) return false;
    (newest.closest('.is-message-box') ?? newest).dataset.e2eBox = m;
    return true;
  }, {}, mark, saying);
  const box = `[data-e2e-box="${mark}"]`;
  const target = `${box} .el-message-box__btns ${button === 'primary' ? '.el-button--primary' : '.el-button:not(.el-button--primary)'}`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await page.locator(target).click();
    if (await page.waitForSelector(box, { hidden: true, timeout: 3000 }).then(() => true, () => false)) return;
    const leaving = await page.$eval(box, (overlay) => /-leave-/.test(overlay.className)).catch(() => true);
    if (leaving) break;
    if (Date.now() > deadline) throw new Error(`the message box was not closed by its ${button} button`);
  }
  await page.waitForSelector(box, { hidden: true });
}

/**
 * Clicks `target` until `opened` is on the page: for a link or button in a list that may render again
 * while it loads (a click can land on a row being replaced). A click that did work is never repeated:
 * the next look finds `opened`, however long the new page took.
 */
export async function clickUntil(page: Page, target: string, opened: string) {
  const deadline = Date.now() + WAIT_MS;
  await page.waitForSelector(target);
  for (;;) {
    const button = await page.$(target);
    if (button) await button.click().catch(() => undefined);
    if (await page.waitForSelector(opened, { timeout: 3000 }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${target} did not open ${opened} (at ${page.url()})`);
  }
}

/** Opens the 待办 entry `label`: its page is open when `opened` is there (see clickUntil). */
export async function openTask(page: Page, label: string, opened: string) {
  await waitText(page, label, '[data-test=todo]');
  await clickUntil(page, `::-p-xpath(//*[@data-test="todo"]//a[contains(., "${label}")])`, opened);
}

/**
 * Clicks a download button and returns the saved file (the name the server suggested and the bytes).
 * The file is waited for by the DevTools protocol's download events, not by polling the folder.
 */
export async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-download-'));
  const cdp = await page.createCDPSession();
  try {
    let name = '';
    let guid = '';
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no download finished after clicking ${selector}`)), WAIT_MS);
      cdp.on('Browser.downloadWillBegin', (event) => {
        name = event.suggestedFilename;
        guid = event.guid;
      });
      cdp.on('Browser.downloadProgress', (event) => {
        if (event.state === 'completed') resolve();
        if (event.state === 'canceled') reject(new Error(`the download from ${selector} was canceled`));
        if (event.state !== 'inProgress') clearTimeout(timer);
      });
    });
    const browserContextId = (page.browserContext() as unknown as { id: string }).id;
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allowAndName', downloadPath: dir, eventsEnabled: true, browserContextId });
    await page.locator(selector).click();
    await done;
    return { name, bytes: await readFile(path.join(dir, guid)) };
  } finally {
    await cdp.detach().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Clicks a download button and returns the saved PDF's text (whitespace removed), checking it is a PDF. */
export async function downloadText(page: Page, selector: string): Promise<string> {
  const { bytes } = await download(page, selector);
  if (bytes.subarray(0, 5).toString() !== '%PDF-') throw new Error(`${selector} did not download a PDF`);
  return pdfText(bytes);
}

/** Waits for the fonts and two frames, so a screenshot shows the page as drawn. */
export async function drawn(page: Page) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/** A screenshot into test-screenshots/ (always: pages a change wants looked at). */
export async function look(page: Page, name: string) {
  await mkdir(SHOTS, { recursive: true });
  await drawn(page);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) as `${string}.png`, fullPage: true });
}

/** With WEB_DOC_SCREENSHOTS=1, the README's screenshot docs/web-<name>.png (whole page unless a phone's). */
export async function docShot(page: Page, name: string, { fullPage = !name.includes('phone') } = {}) {
  if (!process.env.WEB_DOC_SCREENSHOTS) return;
  await drawn(page);
  await page.screenshot({ path: path.join(projectRoot, 'docs', `web-${name}.png`) as `${string}.png`, fullPage });
}
