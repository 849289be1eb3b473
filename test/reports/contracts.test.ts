// Contracts and templates without a browser: what reaches Chromium is validated and escaped.
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { createReportRenderer, REPORT_TYPE_NAMES, ReportDataError, UnknownReportTypeError } from '../../reports/index.ts';
import { cssString } from '../../reports/helpers.ts';
import { REPORT_SAMPLES } from '../../reports/samples/index.ts';

// No render() is called here, so no browser is launched (it is started lazily).
const renderer = createReportRenderer({ maxConcurrentPages: 1, logger: pino({ level: 'silent' }), clock: () => new Date('2025-01-15T02:30:00Z') });

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('report data contracts', () => {
  it.each(REPORT_TYPE_NAMES)('accepts the %s sample', (type) => {
    const { data, meta } = REPORT_SAMPLES[type];
    expect(renderer.renderHtml(type, data, meta)).toContain('<article class="document');
  });

  it('names the missing field of a row instead of printing a blank cell', () => {
    const { data, meta } = clone(REPORT_SAMPLES['year-end-ranking']);
    delete (data.entries[3] as Partial<(typeof data.entries)[number]>).totalScore;
    let caught: unknown;
    try {
      renderer.renderHtml('year-end-ranking', data, meta);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReportDataError);
    expect((caught as ReportDataError).path).toBe('data/entries/3/totalScore');
    expect((caught as ReportDataError).message).toContain('data/entries/3/totalScore is required');
  });

  it('rejects render() with the same error before touching the browser', async () => {
    const { data, meta } = clone(REPORT_SAMPLES['final-assessment']);
    delete (data.secretary as Partial<typeof data.secretary>).dispatchingUnit;
    await expect(renderer.render('final-assessment', data, meta)).rejects.toMatchObject({
      name: 'ReportDataError',
      path: 'data/secretary/dispatchingUnit',
    });
    expect(renderer.browserProcessId()).toBeUndefined();
  });

  it('names a missing issuing unit in the meta', () => {
    const { data } = REPORT_SAMPLES['star-plaque'];
    expect(() => renderer.renderHtml('star-plaque', data, {} as never)).toThrow(/meta\/issuingUnit is required/);
  });

  it('reports a malformed value with its path', () => {
    const { data, meta } = clone(REPORT_SAMPLES['quarterly-review']);
    (data as { period: { index: number } }).period.index = 9;
    expect(() => renderer.renderHtml('quarterly-review', data, meta)).toThrow(ReportDataError);
    expect(() => renderer.renderHtml('quarterly-review', data, meta)).toThrow(/data\/period\/index/);
  });

  it('refuses an unknown report type', () => {
    expect(() => renderer.renderHtml('annual-bonus', {}, { issuingUnit: '某单位' })).toThrow(UnknownReportTypeError);
  });

  it('escapes user text in the body and in the page header', () => {
    const { data, meta } = clone(REPORT_SAMPLES['commitment-notice']);
    data.organization.name = '<img src="https://example.com/x.png">恶意企业';
    const html = renderer.renderHtml('commitment-notice', data, { ...meta, issuingUnit: '"; } </style><script>alert(1)</script>' });
    expect(html).not.toContain('<img src="https://example.com');
    expect(html).toContain('&lt;img src&#x3D;&quot;https://example.com/x.png&quot;&gt;恶意企业');
    expect(html).not.toContain('</style><script>');
    // The header string is CSS-escaped: no quote or angle bracket survives inside <style>.
    const style = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
    expect(style).toContain('\\00003c');
    expect(style).not.toMatch(/<script/);
  });

  it('prints the generation time in Beijing time', () => {
    const { data, meta } = REPORT_SAMPLES['star-plaque'];
    expect(renderer.renderHtml('star-plaque', data, meta)).toContain(cssString('2025-01-15 10:30'));
  });
});
