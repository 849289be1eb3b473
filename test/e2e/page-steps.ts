// Page steps of the browser tests that drive Element Plus forms and downloads: typing over an
// input, picking a select's option, reading a downloaded PDF, waiting for a filed file, a screenshot.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { projectRoot } from '../../config/config.ts';
import { pdfText } from '../reports/pdf-text.ts';

const shots = path.join(projectRoot, 'test-screenshots');

/** Replaces an input's text the way a person does: select all, type (date pickers and number inputs). */
export async function retype(page: Page, selector: string, value: string) {
  await page.locator(selector).click();
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.type(value);
}
/** Picks the option `label` (exactly) of the select inside `cell`, typing `search` first for a remote one. */
export async function choose(page: Page, cell: string, label: string, search?: string) {
  await page.locator(`${cell} .el-select__wrapper`).click();
  if (search) await page.keyboard.type(search);
  await page.locator(`::-p-xpath(//li[contains(@class, "el-select-dropdown__item")][starts-with(normalize-space(.), "${label}")])`).click();
}
/** Clicks a download button and returns the saved PDF's text (whitespace removed). */
export async function downloadText(page: Page, selector: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-posting-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, browserContextId: (page.browserContext() as unknown as { id: string }).id });
  await page.locator(selector).click();
  let saved: string[] = [];
  for (let i = 0; i < 150 && !saved.some((f) => f.endsWith('.pdf')); i++) {
    await new Promise((r) => setTimeout(r, 200));
    saved = await readdir(dir);
  }
  const file = saved.find((f) => f.endsWith('.pdf'));
  if (!file) throw new Error(`no PDF was saved from ${selector}`);
  const bytes = await readFile(path.join(dir, file));
  await rm(dir, { recursive: true, force: true });
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  return pdfText(bytes);
}

/** Reloads until `selector` is on the page (a PDF is filed in the background). */
export async function reloadUntilVisible(page: Page, selector: string, tries = 60) {
  for (let i = 0; i < tries; i++) {
    if (await page.waitForSelector(selector, { timeout: 1000 }).then(() => true, () => false)) return;
    await page.reload();
  }
  throw new Error(`${selector} did not appear`);
}

/** A screenshot into test-screenshots/ (always: these pages were changed or added by issue 17.2). */
export async function look(page: Page, name: string) {
  await mkdir(shots, { recursive: true });
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: path.join(shots, `${name}.png`) as `${string}.png`, fullPage: true });
}
