// Cold load of the web application (npm run bench:web): the login page and the 待办 page of a
// signed-in enterprise, each opened RUNS times in a fresh browser context (empty cache) over
// loopback, from the API process that serves them in production. Prints, per page, the time
// to interactive (navigation start until the page's form or list is usable, median and worst),
// the bytes transferred and the gzipped JavaScript of the route, with the load average.
// Env: RUNS (default 5); BASE_URL to measure a running service instead of a fresh one here.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { CDPSession, Page } from 'puppeteer-core';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { initOrm } from '../db/orm.ts';
import { loadAuditKey } from '../domain/audit/key.ts';
import { loadConfig } from '../config/config.ts';
import { buildServer } from '../api/server.ts';
import { connectTemporalClient } from '../temporal/client.ts';
import { seedDemo, DEMO_PASSWORD } from '../seeds/demo.ts';
import { launchBrowser, resolveExecutablePath } from '../reports/browser.ts';

// Functions passed to page.evaluate run in the browser, where these exist.
declare const document: { querySelector(selector: string): unknown; fonts: { ready: Promise<unknown> } };
declare const localStorage: { setItem(key: string, value: string): void };

const RUNS = Number(process.env.RUNS ?? 5);
const LOGIN = 'ent001';

let base = process.env.BASE_URL ?? '';
const cleanup: (() => Promise<unknown>)[] = [];
if (!base) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-web-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'bench_web' });
  const orm = await initOrm({ url: pg.url, auditKey: await loadAuditKey({ dataDir: dir }) });
  await seedDemo(orm);
  const temporal = connectTemporalClient({ address: '127.0.0.1:1', namespace: 'default' });
  const server = await buildServer({ config: loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: pg.url, DATA_DIR: dir }), orm, temporal }, { logger: pino({ level: 'silent' }) });
  await server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  cleanup.push(() => server.close(), () => temporal.connection.close(), () => orm.close(true), () => pg.stop(), () => rm(dir, { recursive: true, force: true }));
}

interface Load { ms: number; bytes: number; jsGzip: number; cssGzip: number; fontBytes: number; requests: number }

/** Bytes on the wire per resource type, from the DevTools protocol. */
function countBytes(cdp: CDPSession) {
  const types = new Map<string, string>();
  const totals = { bytes: 0, js: 0, css: 0, font: 0, requests: 0 };
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId);
    totals.bytes += e.encodedDataLength;
    totals.requests += 1;
    if (type === 'Script') totals.js += e.encodedDataLength;
    if (type === 'Stylesheet') totals.css += e.encodedDataLength;
    if (type === 'Font') totals.font += e.encodedDataLength;
  });
  return totals;
}

const browser = await launchBrowser(await resolveExecutablePath());
const session = await (await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: DEMO_PASSWORD }) })).json() as { accessToken: string; refreshToken?: string; expiresIn: number; me: unknown };

async function coldLoad(url: string, ready: (page: Page) => Promise<unknown>, signedIn: boolean): Promise<Load> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setViewport({ width: 1366, height: 860 });
    if (signedIn) {
      await page.evaluateOnNewDocument((stored: string) => localStorage.setItem('party-cycles.session', stored), JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken ?? null, expiresAt: Date.now() + session.expiresIn * 1000, me: session.me }));
    }
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const totals = countBytes(cdp);
    const started = performance.now();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await ready(page);
    const ms = performance.now() - started;
    // Count what the first view needs in all, fonts included, once the page has settled.
    await page.evaluate(() => document.fonts.ready);
    await page.waitForNetworkIdle({ idleTime: 300 });
    return { ms, bytes: totals.bytes, jsGzip: totals.js, cssGzip: totals.css, fontBytes: totals.font, requests: totals.requests };
  } finally {
    await context.close();
  }
}

const loginReady = (page: Page) => page.waitForFunction(() => {
  const button = document.querySelector('[data-test=sign-in]');
  return button && !document.querySelector('.el-loading-mask');
});
const todoReady = (page: Page) => page.waitForFunction(() => document.querySelector('[data-test=todo]') && !document.querySelector('[data-test=todo] .el-loading-mask'));

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  await coldLoad(`${base}/login`, loginReady, false); // the server's first answers warm its file cache
  for (const [name, url, ready, signedIn] of [['login', `${base}/login`, loginReady, false], ['待办 (ent001)', `${base}/todo`, todoReady, true]] as const) {
    const loads: Load[] = [];
    for (let i = 0; i < RUNS; i++) loads.push(await coldLoad(url, ready, signedIn));
    const last = loads.at(-1)!;
    console.log(`${name.padEnd(14)} interactive median ${median(loads.map((l) => l.ms)).toFixed(0)} ms, worst ${Math.max(...loads.map((l) => l.ms)).toFixed(0)} ms; `
      + `transferred ${kb(last.bytes)} in ${last.requests} requests (JS ${kb(last.jsGzip)} gzipped, CSS ${kb(last.cssGzip)}, fonts ${kb(last.fontBytes)})`);
  }
  console.log(`targets: interactive < 1000 ms, JS of the first route < 300 KB gzipped. load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} CPUs`);
} finally {
  await browser.close();
  for (const step of cleanup) await step();
}
