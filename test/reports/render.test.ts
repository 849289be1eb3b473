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
import { checkLayout, placedText, writeFirstPagePng } from './pdf-layout.ts';
import path from 'node:path';
import { projectRoot } from '../../config/config.ts';

/** Where the first page of every report type is written for review (committed: docs/reports/<type>.png). */
const PAGE_IMAGES = path.join(projectRoot, 'docs', 'reports');

// What a reader must find in each sample PDF: title, names and figures from its data.
const EXPECTED: Record<ReportTypeName, string[]> = {
  'commitment-notice': ['济宁鲁恒机械制造有限公司2024年度“双向承诺”公示', '思想政治引领', '设立党员先锋岗6个', '党组织书记', '企业出资人（负责人）', '0537-2356789', '2024年3月11日'],
  'evaluation-record': ['2024年度“双向承诺”评诺备案表', '任组备〔2024〕37号', '王建国', '共24项，已兑现23项', '合计100%', '26.55', '90.2', '优秀', '同意备案。'],
  'factual-evaluation': ['济宁市任城区税务局2024年度“四双”写实评价', '任组评〔2024〕12号', '报送上级党组织', '中共济宁市税务局委员会', '已兑现3项', '税收政策进社区', '同意，报送上级党组织。'],
  'star-rating-list': ['济宁市任城区2024年度非公企业和社会组织党组织星级评定名单', '山东泰丰纺织集团有限公司', '96.5', '★★★★★', '降星', '赵卫东'],
  'star-plaque': ['证书', '中共济宁鲁恒机械制造有限公司支部委员会', '“五星级党组织”', '特发此证', '任组星证〔2024〕5号', '2024年12月28日'],
  'attendance-sheet': ['济阳街道第一书记2024年12月考勤表', '派驻社区', '李振华', '王海涛', '国网济宁供电公司', '不少于22天', '公差'],
  'quarterly-review': ['第一书记派驻第二季度述评报告', '2024年6月1日至2024年8月31日', '李振华', '济宁市财政局', '95.8%', '93.3', '郑广明'],
  'year-end-ranking': ['济宁市任城区2024年度第一书记年终考核排名', '小考', '李振华', '孙晓燕', '中国移动济宁分公司', '基本称职', '陈晓东'],
  'final-assessment': ['第一书记任期期满联合考核表', '李振华', '派驻第一季度', '1,000,000元', '30,000元', '95.8', '同意评定为优秀等次。', '派出单位党组织'],
  'assessment-report-to': ['关于济宁市任城区2026年度红色物业服务评价结果的报告', '济宁市任城区住房和城乡建设局：', '街道党工委初审', '优秀1家', '任兴物业服务中心', '不合格'],
  'assessment-ranking': ['济宁市任城区2026年下半年社区网格员半年考核评价结果排名', '任组考〔2026〕9号', '群众评议（20%）', '王海燕', '6→7', '良好', '同意公示。'],
  'assessment-score-sheet': ['2026年下半年社区网格员半年考核评价评分表', '欧阳慕容·阿卜杜热合曼·买买提依明', '同事互评10%', '18.67', '27/30（90.0%）', '无数据',
    '87.06', '在12名被考核对象中排第2名', '因优秀等次比例限制（20%）评为良好'],
  'assessment-result-notice': ['2026年下半年社区网格员半年考核评价结果通知书', '欧阳慕容·阿卜杜热合曼·买买提依明：', '87.06分', '第2名（共12名）', '由6级调整为7级',
    '3,000元', '列入评先树优名单', '至2027年1月2日止', '/public/assessment-objections/1b2c'],
  'point-statement': ['文明积分2024年6月结单', '王秀兰', '仙营社区', '大米5斤', '-30', '待确认', '20'],
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
    expect(fonts.filter((name) => !name.startsWith('NotoSerifSC'))).toEqual([]);
    // The visual check: nothing outside the text block but the running header and footer, no
    // word broken across the lines of a table cell; the first page kept as PNG for review.
    const title = REPORT_TYPES[type].title(data as never);
    const problems = checkLayout(await placedText(report.pdf), { header: `${meta.issuingUnit}${title}`, footer: (n, m) => `第${n}页共${m}页生成时间：2025-01-1510:30` });
    expect(problems).toEqual({ outside: [], brokenWords: [] });
    await writeFirstPagePng(report.pdf, path.join(PAGE_IMAGES, `${type}.png`));
  });

  it('repeats the table header on every page of a long table', async () => {
    const { data, meta } = REPORT_SAMPLES['year-end-ranking'];
    const report = await renderer.render('year-end-ranking', data, meta);
    expect(report.pages).toBeGreaterThanOrEqual(2);
    const { extractText } = await import('unpdf');
    const { text } = await extractText(new Uint8Array(report.pdf), { mergePages: false });
    // Every page that carries rows of the table (the last may hold only the closing note and signatures).
    const withRows = text.filter((page) => /\d+\.\d(优秀|称职|基本称职)/.test(page.replace(/\s+/g, '')));
    expect(withRows.length).toBeGreaterThanOrEqual(2);
    for (const page of withRows) expect(page.replace(/\s+/g, '')).toContain('名次姓名派驻社区所属街道派出单位');
  });

  it('prints rare characters outside the common font from the fallback slices', async () => {
    const { data, meta } = structuredClone(REPORT_SAMPLES['quarterly-review']);
    data.secretary.name = '赵堃喆';
    data.secretary.community = '犇淼社区';
    const report = await renderer.render('quarterly-review', data, meta);
    expect(await pdfText(report.pdf)).toContain('赵堃喆');
    expect(await pdfText(report.pdf)).toContain('犇淼社区');
    expect(pdfFontNames(report.pdf).filter((name) => !name.startsWith('NotoSerifSC'))).toEqual([]);
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
    expect(await pdfText(report.pdf)).toContain('特发此证');
    expect(renderer.stats().browserLaunches).toBe(launchesBefore + 1);
    expect(renderer.currentBrowser()).not.toBe(crashed);
    expect(renderer.currentBrowser()?.connected).toBe(true);
  });
});
