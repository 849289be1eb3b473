// The report renderer: data → validated → HTML (Handlebars) → PDF (Chromium via puppeteer).
// One browser per process, launched on the first render and relaunched after it dies; a
// bounded pool of pages, each in its own browser context so that Chromium gives it its own
// renderer process and two PDFs really print in parallel on two cores.
import { createHash } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import type { Logger } from 'pino';
import type { Browser, BrowserContext, HTTPRequest, Page } from 'puppeteer-core';
import { writeReportAssets, type ReportAssets } from './assets.ts';
import { launchBrowser, resolveExecutablePath } from './browser.ts';
import { ReportMeta } from './contracts/meta.ts';
import { RendererClosedError, ReportRenderError, ReportTemplateError, UnknownReportTypeError } from './errors.ts';
import { createPool } from './page-pool.ts';
import { replaceBody } from './page-script.ts';
import { countPdfPages } from './pdf-pages.ts';
import { REPORT_TYPES, type ReportTypeDefinition } from './report-types.ts';
import { compileTemplates, STYLESHEET_PATH } from './templates.ts';
import { compileChecker } from './validate.ts';

export const REPORT_TIME_ZONE = 'Asia/Shanghai';

export interface ReportRendererOptions {
  /** A Chromium binary; otherwise CHROMIUM_PATH / PUPPETEER_EXECUTABLE_PATH, otherwise @sparticuz/chromium. */
  browserExecutablePath?: string;
  /** Pages printing at once; 2-4 suits a 2-core worker. Further renders wait their turn. */
  maxConcurrentPages: number;
  logger: Logger;
  /** Source of the generation time printed in the footer. */
  clock?: () => Date;
  /** Printed across every page (templates/partials/watermark.hbs): 演示环境 in the sandbox. */
  watermark?: string;
  /** Report types to serve; defaults to the cycles' report types. */
  reportTypes?: Record<string, ReportTypeDefinition>;
  /** Upper bound for one PDF, in milliseconds. */
  renderTimeoutMs?: number;
  /**
   * Tagged (accessible) PDF with a structure tree. Off by default: building it cost ~15-20% more
   * renderer CPU per PDF in bench/reports.ts, and filed documents are printed and read as pages.
   */
  taggedPdf?: boolean;
}

export interface RenderedReport {
  pdf: Buffer;
  sha256: string;
  bytes: number;
  pages: number;
}

export interface RendererStats {
  rendered: number;
  browserLaunches: number;
  /** Requests the page tried to make outside the report's own files, all aborted. */
  blockedRequests: number;
  blockedUrls: string[];
}

export interface ReportRenderer {
  render(type: string, data: unknown, meta: ReportMeta): Promise<RenderedReport>;
  /** The report body as HTML, validated like render(); for previews and tests. */
  renderHtml(type: string, data: unknown, meta: ReportMeta): string;
  stats(): RendererStats;
  /** The browser's process id, if one is running (for memory figures and crash tests). */
  browserProcessId(): number | undefined;
  /** The running browser, if any. */
  currentBrowser(): Browser | undefined;
  close(): Promise<void>;
}

interface PageSlot {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  broken: boolean;
}

const BLOCKED_URLS_KEPT = 50;

/**
 * yyyy-MM-dd HH:mm in Beijing time. TZDate getters rather than date-fns `format`: importing
 * date-fns costs this process 40 MB (date-fns/format) to 300 MB (the package root) of RSS.
 */
function formatGeneratedAt(date: Date): string {
  const local = new TZDate(date, REPORT_TIME_ZONE);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${local.getFullYear()}-${two(local.getMonth() + 1)}-${two(local.getDate())} ${two(local.getHours())}:${two(local.getMinutes())}`;
}

export function createReportRenderer(options: ReportRendererOptions): ReportRenderer {
  const logger = options.logger.child({ component: 'report-renderer' });
  const clock = options.clock ?? (() => new Date());
  const timeout = options.renderTimeoutMs ?? 30_000;
  const types: Record<string, ReportTypeDefinition> = options.reportTypes ?? REPORT_TYPES;
  const templates = compileTemplates(types);
  const checkers = new Map(Object.entries(types).map(([name, definition]) => [name, compileChecker(definition.schema, 'data')]));
  const checkMeta = compileChecker(ReportMeta, 'meta');
  const stats: RendererStats = { rendered: 0, browserLaunches: 0, blockedRequests: 0, blockedUrls: [] };

  let assets: ReportAssets | undefined;
  let browser: Browser | undefined;
  let launching: Promise<Browser> | undefined;
  let closed = false;

  function getBrowser(): Promise<Browser> {
    if (closed) return Promise.reject(new RendererClosedError());
    if (browser?.connected) return Promise.resolve(browser);
    launching ??= (async () => {
      try {
        const executablePath = await resolveExecutablePath(options.browserExecutablePath);
        assets ??= writeReportAssets(STYLESHEET_PATH);
        const started = Date.now();
        const launched = await launchBrowser(executablePath);
        stats.browserLaunches += 1;
        launched.once('disconnected', () => {
          if (browser === launched) browser = undefined;
          if (!closed) logger.warn({ browserPid: launched.process()?.pid }, 'report browser disconnected; the next render launches a new one');
        });
        logger.info({ executablePath, browserPid: launched.process()?.pid, ms: Date.now() - started }, 'report browser launched');
        if (closed) {
          await launched.close();
          throw new RendererClosedError();
        }
        browser = launched;
        return launched;
      } finally {
        launching = undefined;
      }
    })();
    return launching;
  }

  function onRequest(request: HTTPRequest): void {
    if (assets?.isOwnAsset(request.url())) {
      void request.continue().catch(() => undefined);
      return;
    }
    stats.blockedRequests += 1;
    if (stats.blockedUrls.length < BLOCKED_URLS_KEPT) stats.blockedUrls.push(request.url());
    logger.warn({ url: request.url().slice(0, 200) }, 'report page tried to load a resource outside its own files; blocked');
    void request.abort('blockedbyclient').catch(() => undefined);
  }

  const pool = createPool<PageSlot>(options.maxConcurrentPages, {
    async create() {
      const owner = await getBrowser();
      const context = await owner.createBrowserContext();
      try {
        const page = await context.newPage();
        const slot: PageSlot = { browser: owner, context, page, broken: false };
        page.on('error', () => {
          slot.broken = true;
        });
        page.setDefaultTimeout(timeout);
        // Reports need no scripts; with none, a template cannot fetch() or build requests.
        await page.setJavaScriptEnabled(false);
        await page.setRequestInterception(true);
        page.on('request', onRequest);
        await page.goto((assets as ReportAssets).shellUrl, { waitUntil: 'load' });
        return slot;
      } catch (error) {
        await context.close().catch(() => undefined);
        throw error;
      }
    },
    isUsable: (slot) => !slot.broken && slot.browser === browser && slot.browser.connected && !slot.page.isClosed(),
    async destroy(slot) {
      if (slot.browser.connected) await slot.context.close();
    },
  });

  function buildHtml(type: string, data: unknown, meta: ReportMeta): { html: string; definition: ReportTypeDefinition } {
    const definition = types[type];
    const template = templates.get(type);
    const check = checkers.get(type);
    if (!definition || !template || !check) throw new UnknownReportTypeError(type, Object.keys(types));
    checkMeta(type, meta);
    check(type, data);
    const context = {
      type,
      title: definition.title(data as never),
      orientation: definition.orientation,
      meta: { issuingUnit: meta.issuingUnit, documentNumber: meta.documentNumber ?? null, sealCaption: meta.sealCaption ?? meta.issuingUnit },
      generatedAt: formatGeneratedAt(clock()),
      watermark: options.watermark ?? null,
      data,
    };
    try {
      return { html: template(context), definition };
    } catch (error) {
      throw new ReportTemplateError(type, error);
    }
  }

  async function print(slot: PageSlot, html: string): Promise<Uint8Array> {
    // page.evaluate has no timeout of its own (a font that never loads would hang it): past the
    // limit the page's context is closed, which fails the pending calls, and the slot is dropped.
    const watchdog = setTimeout(() => {
      slot.broken = true;
      void slot.context.close().catch(() => undefined);
    }, timeout);
    try {
      await slot.page.evaluate(replaceBody, html);
      // Page size, margins, header and footer come from the template's @page rules.
      return await slot.page.pdf({ preferCSSPageSize: true, printBackground: true, timeout, tagged: options.taggedPdf ?? false });
    } finally {
      clearTimeout(watchdog);
    }
  }

  return {
    renderHtml(type, data, meta) {
      return buildHtml(type, data, meta).html;
    },

    async render(type, data, meta) {
      if (closed) throw new RendererClosedError();
      const { html } = buildHtml(type, data, meta);
      const started = Date.now();
      let pdf: Buffer;
      try {
        pdf = Buffer.from(await pool.use((slot) => print(slot, html)));
      } catch (error) {
        if (error instanceof RendererClosedError) throw error;
        throw new ReportRenderError(type, error);
      }
      stats.rendered += 1;
      const result = {
        pdf,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        bytes: pdf.length,
        pages: countPdfPages(pdf),
      };
      logger.debug({ type, bytes: result.bytes, pages: result.pages, ms: Date.now() - started }, 'report rendered');
      return result;
    },

    stats: () => ({ ...stats, blockedUrls: [...stats.blockedUrls] }),
    browserProcessId: () => browser?.process()?.pid,
    currentBrowser: () => browser,

    async close() {
      if (closed) return;
      closed = true;
      const pending = launching;
      await pool.drain();
      await pending?.catch(() => undefined);
      const running = browser;
      browser = undefined;
      await running?.close().catch(() => undefined);
      assets?.remove();
      assets = undefined;
    },
  };
}
