// The words of the documents: a list of terms a clerk would strike, checked over the shipped
// catalogs, the templates and every sample report as rendered to HTML (no browser needed).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { projectRoot } from '../../config/config.ts';
import { DEFAULT_CATALOGS } from '../../domain/catalogs/defaults.ts';
import { createReportRenderer, REPORT_TYPE_NAMES } from '../../reports/index.ts';
import { REPORT_SAMPLES } from '../../reports/samples/index.ts';

/** Term, why it is struck. Urban postings are 派驻社区; the rest are from issue 16. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/驻村/, '驻村 is rural: urban first secretaries are 派驻社区'],
  [/派出单位党组(?!织)/, 'a 党组 exists only in government organs: 派出单位党组织'],
  [/报送单位/, 'reads as the sender: 报送上级党组织'],
  [/(?<![市区县])中共区委组织部|(?<![^\s>“"（(：:，,])区委组织部|县委组织部/, 'a generic department: the full name from the administrative tree'],
  [/妇联等群团/, 'inside an enterprise: 妇委会（女职工委员会）'],
  [/入学、就医、落户/, 'reads as a privilege for resident units'],
  [/疫情防控/, 'dated'],
  [/包容审慎监管|检查频次适当减少/, 'an incentive any reviewer strikes'],
  [/纳税信用评价中给予正向参考/, 'an incentive any reviewer strikes'],
  [/(?<!\d)0人/, 'a count nobody recorded: leave the cell blank'],
  [/同意。同意/, 'the decision said twice'],
  [/荣誉证书/, 'the certificate says 特发此证 and is headed 证书'],
  [/双诺备〔|四双评〔|XJ-\d/, 'record numbers are 〔2026〕12号 from the department\'s sequence'],
];

function offending(text: string): string[] {
  return FORBIDDEN.filter(([term]) => term.test(text)).map(([term, why]) => `${term.source}: ${why}`);
}

let renderer: ReturnType<typeof createReportRenderer> | undefined;
afterAll(async () => {
  await renderer?.close();
});

describe('forbidden terms', () => {
  it('the list finds what it is meant to find', () => {
    expect(offending('驻村社区')).toHaveLength(1);
    expect(offending('派出单位党组意见')).toHaveLength(1);
    expect(offending('派出单位党组织意见')).toEqual([]);
    expect(offending('职工人数0人')).toHaveLength(1);
    expect(offending('职工人数10人')).toEqual([]);
    expect(offending('中共区委组织部')).toHaveLength(1);
    expect(offending('中共济宁市任城区委组织部')).toEqual([]);
  });

  it.each(DEFAULT_CATALOGS.map((c) => [c.kind, c] as const))('the shipped %s catalog has none', (_kind, catalog) => {
    expect(offending(JSON.stringify(catalog.content))).toEqual([]);
  });

  it('no template has one', () => {
    const root = path.join(projectRoot, 'templates');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'));
    expect(files.length).toBeGreaterThan(9);
    for (const file of files) expect({ file, terms: offending(readFileSync(path.join(root, file), 'utf8')) }).toEqual({ file, terms: [] });
  });

  it.each(REPORT_TYPE_NAMES)('the %s sample as printed has none', (type) => {
    renderer ??= createReportRenderer({ maxConcurrentPages: 1, logger: pino({ level: 'silent' }) });
    const { data, meta } = REPORT_SAMPLES[type];
    const html = renderer.renderHtml(type, data, meta).replace(/<[^>]+>/g, '');
    expect(offending(html)).toEqual([]);
  });
});
