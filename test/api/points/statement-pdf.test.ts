// 积分月结单 as a PDF through the report pipeline (pointStatement workflow, reports queue, real
// renderer): a resident earns points, one credit waits for the community, some are exchanged in
// the shop; the month's statement prints the opening and closing balances, every entry (the
// pending one marked, not counted) and the community's name; another community's clerk gets the
// 404 of an account that does not exist; a wrong month is named; the workflow's history replays.
// A second download serves the stored PDF (one render, one report file); a new entry in the
// month renders it anew.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, httpCaller, type CycleHarness } from '../../support/cycle-harness.ts';
import { unitMaker } from '../../support/fixtures.ts';
import { createPointsActivities } from '../../../activities/points.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import { pdfText } from '../../reports/pdf-text.ts';

let harness: CycleHarness;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  harness = await startCycleHarness((app) => createPointsActivities({ orm: app.orm }));
  const em = harness.app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('PD', '高新区', 'district', null);
  const street = unit('PS', '柳行街道', 'street', district);
  const community = unit('PC', '仙营社区', 'community', street);
  const other = unit('PO', '洸河社区', 'community', street);
  Object.assign(ids, { community: community.id });
  grantWithToken(em, tokens, 'community', 'community_committee', { unit: community });
  grantWithToken(em, tokens, 'other', 'community_committee', { unit: other });
  grantWithToken(em, tokens, 'enterprise', 'enterprise_rep', {});
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string, method: string, url: string, payload?: unknown) => httpCaller(harness.app, (l) => tokens[l])(login, method, url, payload);
const json = (r: { body: unknown }) => r.body as Record<string, unknown>;

describe('积分月结单 PDF', () => {
  it('prints one account\'s month from the ledger through the reports queue', async () => {
    const holder = { kind: 'resident', phone: '13912345678', name: '王秀兰' };
    const credit = (key: string, memo: string) =>
      call('community', 'POST', '/points/credits', { sourceKey: key, holder, ruleCode: 'volunteer_activity', communityId: ids.community, memo });
    const first = json(await credit('v/1', '垃圾分类宣传'));
    await credit('v/2', '防溺水巡查');
    await credit('v/3', '敬老院慰问');
    const pending = (json(await call('community', 'GET', `/points/entries?status=pending&accountId=${first.accountId}`)).items as { id: string; memo: string }[]);
    for (const entry of pending.filter((e) => e.memo !== '敬老院慰问')) await call('community', 'POST', `/points/entries/${entry.id}/confirm`);
    const goods = json(await call('community', 'POST', '/points/goods', { communityId: ids.community, name: '洗衣液', price: 4, stock: 5 }));
    const exchange = json(await call('community', 'POST', '/points/exchanges', { requestId: randomUUID(), goodsId: goods.id, holder, quantity: 2 }));
    expect(exchange).toMatchObject({ status: 'reserved', points: 8 });
    await call('community', 'POST', `/points/exchanges/${exchange.id}/confirm`);
    const month = shanghaiDate(new Date(exchange.createdAt as string)).slice(0, 7);
    const url = `/points/accounts/${first.accountId}/statements/${month}`;

    const answer = await call('community', 'GET', url);
    expect([answer.status, answer.status === 200 ? null : JSON.stringify(answer.body)]).toEqual([200, null]);
    expect(answer.headers['content-type']).toBe('application/pdf');
    const pdf = answer.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    const [year, mm] = month.split('-').map(Number);
    for (const wanted of [`文明积分${year}年${mm}月结单`, '王秀兰', '139****5678', '仙营社区', '垃圾分类宣传', '防溺水巡查', '敬老院慰问', '待确认', '-8']) {
      expect(text).toContain(wanted);
    }
    // opening 0, earned 10 (the pending 5 not counted), spent 8, returned 0, closing 2
    expect(text).toContain('010802');
    if (process.env.KEEP_STATEMENT_PDF) await writeFile(path.join(os.tmpdir(), 'point-statement.pdf'), pdf);

    expect((await call('other', 'GET', url)).status).toBe(404);
    expect((await call('enterprise', 'GET', url)).status).toBe(403);
    const bad = await call('community', 'GET', `/points/accounts/${first.accountId}/statements/2026-13`);
    expect(bad.status).toBe(400);
    expect(json(bad).details).toEqual([{ field: 'params.month', rule: expect.any(String) }]);

    const em = harness.app.orm.em.fork() as EntityManager;
    const files = () => em.execute<{ request_key: string; sha256: string }[]>(
      "select request_key, sha256 from report_file where subject_type = 'point_account' and subject_id = ? order by version", [first.accountId]);
    const [file] = await files();
    expect(file!.request_key).toMatch(/^point-statement\//);
    await harness.replay(file!.request_key);

    // Downloaded again: the stored PDF, not a second render.
    const again = await call('community', 'GET', url);
    expect(again.status).toBe(200);
    expect(Buffer.compare(again.body as Buffer, pdf)).toBe(0);
    expect(await files()).toHaveLength(1);

    // The ledger moved: the month is rendered anew, and that one is stored too.
    await credit('v/4', '助老送餐');
    const moved = await call('community', 'GET', url);
    expect(await pdfText(moved.body as Buffer)).toContain('助老送餐');
    await call('community', 'GET', url);
    const after = await files();
    expect(after).toHaveLength(2);
    expect(after[1]!.sha256).not.toBe(after[0]!.sha256);
  }, 240_000);
});
