// Rendering through Chromium. All browser tests live in this one file so that a single jest
// worker unpacks @sparticuz/chromium (~209 MB) and only one browser runs at a time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import Type from 'typebox';
import { createReportRenderer, REPORT_TYPES, REPORT_TYPE_NAMES, ReportTemplateError, type ReportRenderer, type ReportTypeName } from '../../reports/index.ts';
import { REPORT_SAMPLES } from '../../reports/samples/index.ts';
import { pdfFontNames, pdfText } from './pdf-text.ts';

// What a reader must find in each sample PDF: title, names and figures from its data.
const EXPECTED: Record<ReportTypeName, string[]> = {
  'commitment-notice': ['济宁鲁恒机械制造有限公司2024年度“双向承诺”公示', '思想政治引领', '设立党员先锋岗6个', '王建国', '刘德海', '0537-2356789', '2024年3月11日'],
  'evaluation-record': ['2024年度“双向承诺”评诺备案表', '任组备〔2024〕第037号', '王建国', '共24项，已兑现23项', '91.6', '优秀', '同意备案。'],
  'factual-evaluation': ['济宁市任城区税务局2024年度“四双”写实评价', '济阳四双评〔2024〕第012号', '中共济宁市税务局委员会', '已兑现3项', '税收政策进社区', '同意，报送上级党组织。'],
  'star-rating-list': ['济宁市任城区2024年度非公企业党组织星级评定名单', '山东泰丰纺织集团有限公司', '96.5', '★★★★★', '降星', '赵卫东'],
  'star-plaque': ['荣誉证书', '中共济宁鲁恒机械制造有限公司支部委员会', '“五星级党组织”', 'RCXJ-2024-0005', '2024年12月28日'],
  'attendance-sheet': ['济阳街道第一书记2024年12月考勤表', '李振华', '王海涛', '国网济宁供电公司', '不少于22天', '孙立群'],
  'quarterly-review': ['第一书记2024年第三季度述评报告', '李振华', '济宁市财政局', '95.8%', '93.3', '郑广明'],
  'year-end-ranking': ['济宁市任城区2024年度第一书记年终考核排名', '李振华', '孙晓燕', '中国移动济宁分公司', '97.2', '基本称职', '陈晓东'],
  'final-assessment': ['第一书记任期期满联合考核表', '李振华', '1,000,000元', '30,000元', '95.8', '同意评定为优秀等次。'],
};

const GENERATED_AT = new Date('2025-01-15T02:30:00Z');

let renderer: ReportRenderer;
let server: Server;
let serverHits: string[] = [];
let serverUrl = '';

const hostileTemplate = (url: string) => `{{#> layout}}
<p>外部资源测试</p>
<img src="https://example.com/x.png">
<img src="${url}/img.png">
<link rel="stylesheet" href="${url}/style.css">
<div style="background-image: url(${url}/bg.png)">背景</div>
<iframe src="${url}/frame"></iframe>
<object data="${url}/object"></object>
<img src="file:///etc/passwd">
<script>fetch('${url}/fetch'); new Image().src = '${url}/script-img.png';</script>
{{/layout}}`;

beforeAll(async () => {
  server = createServer((request, response) => {
    serverHits.push(request.url ?? '');
    response.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  renderer = createReportRenderer({
    maxConcurrentPages: 2,
    logger: pino({ level: 'silent' }),
    clock: () => GENERATED_AT,
    reportTypes: {
      ...REPORT_TYPES,
      hostile: { name: 'hostile', schema: Type.Object({}), orientation: 'portrait', title: () => '外部资源测试', template: hostileTemplate(serverUrl) },
      'missing-field': {
        name: 'missing-field',
        schema: Type.Object({}),
        orientation: 'portrait',
        title: () => '缺字段',
        template: '{{#> layout}}{{data.notThere}}{{/layout}}',
      },
    },
  });
});

afterAll(async () => {
  await renderer?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('report renderer', () => {
  it.each(REPORT_TYPE_NAMES)('renders %s from its sample with its title, names and figures', async (type) => {
    const { data, meta } = REPORT_SAMPLES[type];
    const report = await renderer.render(type, data, meta);
    expect(report.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(report.bytes).toBe(report.pdf.length);
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.pages).toBeGreaterThanOrEqual(1);
    const text = await pdfText(report.pdf);
    for (const expected of EXPECTED[type]) expect(text).toContain(expected.replace(/\s+/g, ''));
    // Header: issuing unit; footer: page X of Y and the generation time in Beijing time.
    expect(text).toContain(meta.issuingUnit);
    expect(text).toContain(`第1页共${report.pages}页`);
    expect(text).toContain('生成时间：2025-01-1510:30');
    // Every glyph comes from the npm font: no fallback font (boxes) was used.
    const fonts = pdfFontNames(report.pdf);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((name) => !name.startsWith('NotoSansSC'))).toEqual([]);
  });

  it('repeats the table header on every page of a long table', async () => {
    const { data, meta } = REPORT_SAMPLES['year-end-ranking'];
    const report = await renderer.render('year-end-ranking', data, meta);
    expect(report.pages).toBe(2);
    const { extractText } = await import('unpdf');
    const { text } = await extractText(new Uint8Array(report.pdf), { mergePages: false });
    for (const page of text) expect(page.replace(/\s+/g, '')).toContain('名次姓名驻村社区所属街道派出单位');
  });

  it('prints rare characters outside the common font from the fallback slices', async () => {
    const { data, meta } = structuredClone(REPORT_SAMPLES['quarterly-review']);
    data.secretary.name = '赵堃喆';
    data.secretary.community = '犇淼社区';
    const report = await renderer.render('quarterly-review', data, meta);
    expect(await pdfText(report.pdf)).toContain('赵堃喆');
    expect(await pdfText(report.pdf)).toContain('犇淼社区');
    expect(pdfFontNames(report.pdf).filter((name) => !name.startsWith('NotoSansSC'))).toEqual([]);
  });

  it('renders concurrent requests beyond the pool size', async () => {
    const { data, meta } = REPORT_SAMPLES['quarterly-review'];
    const reports = await Promise.all(Array.from({ length: 6 }, () => renderer.render('quarterly-review', data, meta)));
    for (const report of reports) expect(await pdfText(report.pdf)).toContain('李振华');
  });

  it('never lets a template reach the network or other local files', async () => {
    serverHits = [];
    const before = renderer.stats().blockedRequests;
    const report = await renderer.render('hostile', {}, { issuingUnit: '测试单位' });
    expect(await pdfText(report.pdf)).toContain('外部资源测试');
    const blocked = renderer.stats().blockedUrls;
    // Scripts are off, so the fetch() and script image are never even attempted.
    expect(renderer.stats().blockedRequests - before).toBeGreaterThanOrEqual(6);
    expect(blocked).toEqual(expect.arrayContaining(['https://example.com/x.png', `${serverUrl}/img.png`, 'file:///etc/passwd']));
    expect(blocked).not.toContain(`${serverUrl}/fetch`);
    // Give a request that slipped through time to arrive before checking the server saw none.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(serverHits).toEqual([]);
  });

  it('escaped user text stays text and loads nothing', async () => {
    serverHits = [];
    const { data, meta } = structuredClone(REPORT_SAMPLES['star-plaque']);
    data.enterprise = `<img src="${serverUrl}/injected.png">`;
    const report = await renderer.render('star-plaque', data, meta);
    expect(await pdfText(report.pdf)).toContain('<imgsrc=');
    expect(serverHits).toEqual([]);
  });

  it('fails with a template error when a template reads a field the data lacks', async () => {
    await expect(renderer.render('missing-field', {}, { issuingUnit: '测试单位' })).rejects.toBeInstanceOf(ReportTemplateError);
  });

  it('replaces a browser that crashed', async () => {
    const { data, meta } = REPORT_SAMPLES['star-plaque'];
    await renderer.render('star-plaque', data, meta);
    const crashed = renderer.currentBrowser();
    const launchesBefore = renderer.stats().browserLaunches;
    expect(crashed?.connected).toBe(true);
    const disconnected = new Promise((resolve) => crashed?.once('disconnected', resolve));
    crashed?.process()?.kill('SIGKILL');
    await disconnected;

    const report = await renderer.render('star-plaque', data, meta);
    expect(await pdfText(report.pdf)).toContain('荣誉证书');
    expect(renderer.stats().browserLaunches).toBe(launchesBefore + 1);
    expect(renderer.currentBrowser()).not.toBe(crashed);
    expect(renderer.currentBrowser()?.connected).toBe(true);
  });
});
