// `npm run sandbox` as a trainer uses it: the real process (not inject) on its throwaway database
// with the demo district, one whole dual-commitment year walked through HTTP — start, 定诺, 亮诺,
// 践诺, then the calendar moved through POST /sandbox/clock to 评诺 — up to the filed 评诺备案表,
// whose dates are the simulated ones and which carries the 演示环境 watermark.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../db/embedded-postgres.ts';
import { projectRoot } from '../../config/config.ts';
import { pdfText } from '../reports/pdf-text.ts';

let child: ChildProcess | undefined;
let dataDir = '';
let output = '';

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startSandbox(): Promise<string> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-test-'));
  const port = await freePort();
  child = spawn(process.execPath, [path.join(projectRoot, 'entry/sandbox.ts')], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), DEVSERVER_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run sandbox exited ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false)) return url;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the sandbox was not ready within 120 s:\n${output}`);
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

describe('npm run sandbox', () => {
  it('walks a whole dual-commitment year to the filed record, moving the calendar through the API', async () => {
    const api = await startSandbox();
    const tokens: Record<string, string> = {};
    const call = async (login: string | null, method: string, url: string, body?: unknown): Promise<Answer> => {
      const response = await fetch(`${api}${url}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(login ? { authorization: `Bearer ${tokens[login]}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const type = response.headers.get('content-type') ?? '';
      return { status: response.status, headers: response.headers, body: type.includes('json') ? await response.json() : Buffer.from(await response.arrayBuffer()) };
    };
    for (const login of ['orgdept', 'ent001', 'ent002', 'party001', 'community01', 'eval01']) {
      const answer = await call(null, 'POST', '/auth/login', { login, password: 'Demo@2026' });
      expect(answer.status).toBe(200);
      tokens[login] = answer.body.accessToken;
    }

    // Marked on every answer, errors included; the calendar is the department's alone.
    const clock = await call('orgdept', 'GET', '/sandbox/clock');
    expect(clock.status).toBe(200);
    expect(clock.headers.get('x-environment')).toBe('sandbox');
    expect((await call('ent001', 'GET', '/sandbox/clock')).status).toBe(403);
    const refused = await call('orgdept', 'POST', '/sandbox/clock', { advance: 'three days' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-environment')).toBe('sandbox');
    expect(refused.body.details).toEqual([{ field: 'body.advance', rule: expect.stringContaining('ISO-8601 duration') }]);

    // New year's week of next year: the cycle runs on its default calendar.
    const year = Number(clock.body.date.slice(0, 4)) + 1;
    const moved = await call('orgdept', 'POST', '/sandbox/clock', { to: `${year}-01-05T09:00:00+08:00` });
    expect(moved.status).toBe(200);
    expect(moved.body.date).toBe(`${year}-01-05`);
    expect(moved.headers.get('x-simulated-time')).toMatch(new RegExp(`^${year}-01-05T09:00`));

    const orgId = (await call('ent001', 'GET', '/organizations')).body.items[0].id as string;
    // A second organization that never drafts: overdue by the simulated calendar, not the host's.
    const idleOrgId = (await call('ent002', 'GET', '/organizations')).body.items[0].id as string;
    const settings = { submissionDeadline: `${year}-03-31`, practiceEnd: `${year}-11-30`, evaluationStart: `${year}-12-01`, evaluationEnd: `${year}-12-20`, publicationDays: 7 };
    const started = await call('orgdept', 'POST', '/dual-commitments/cycles', { year, organizationIds: [orgId, idleOrgId], settings });
    expect(started.status).toBe(202);
    const cycleId = started.body.id as string;
    let setId = '';
    for (let i = 0; i < 200 && !setId; i++) {
      const progress = (await call('orgdept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body.start;
      if (progress.done) setId = (await call('ent001', 'GET', `/dual-commitments/sets?year=${year}`)).body.items[0]?.id ?? '';
      if (!setId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(setId).not.toBe('');

    // 定诺 on 01-05: drafted, submitted, approved by the community.
    const commitments = [
      { key: 'p1', side: 'party', title: '形势政策宣讲', content: '每季度组织职工宣讲', target: '全年宣讲4次', indicator: '宣讲≥4次', deadline: `${year}-09-30`, responsiblePerson: { name: '王建国' } },
      { key: 'e1', side: 'enterprise', title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用', indicator: '面积≥40平方米', deadline: `${year}-09-30`, responsiblePerson: { name: '李总' } },
    ];
    expect((await call('ent001', 'PUT', `/dual-commitments/sets/${setId}/draft`, { commitments })).body.problems).toEqual([]);
    expect((await call('ent001', 'POST', `/dual-commitments/sets/${setId}/submit`)).status).toBe(200);
    expect((await call('community01', 'POST', `/dual-commitments/sets/${setId}/review`, { version: 1, decision: 'approve' })).status).toBe(200);

    // The next deadline is the end of the 7-day publication: the calendar goes there and 亮诺 closes.
    const next = (await call('orgdept', 'GET', '/sandbox/clock')).body.nextDeadline;
    expect(next.at.slice(0, 10) > `${year}-01-05`).toBe(true);
    const toNext = await call('orgdept', 'POST', '/sandbox/clock', { toNext: 'deadline' });
    expect(toNext.body.to).toBe(next.at);
    expect(toNext.body.timersFired).toBeGreaterThanOrEqual(1);

    // 践诺: both sides file their items.
    for (const [login, key] of [['party001', 'p1'], ['ent001', 'e1']] as const) {
      const filed = await call(login, 'POST', `/dual-commitments/sets/${setId}/items/${key}/status`, { status: 'partly', description: '推进中', reason: '场地改造延期' });
      expect(filed.status).toBe(200);
    }

    // 评诺 opens at 00:00 on 12-01 by itself once the calendar reaches it.
    const toEvaluation = await call('orgdept', 'POST', '/sandbox/clock', { to: `${year}-12-01T09:00:00+08:00` });
    expect(toEvaluation.status).toBe(200);
    expect(toEvaluation.body.settled).toBe(true);
    const open = (await call('ent001', 'GET', `/dual-commitments/sets/${setId}`)).body;
    const dashboard = (await call('orgdept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body;
    expect(dashboard.overdue.submissions.map((s: { organizationId: string }) => s.organizationId)).toEqual([idleOrgId]);
    expect(open.gate).toBe('evaluate');
    expect((await call('party001', 'POST', `/dual-commitments/sets/${setId}/self-evaluation`, { side: 'party', score: 90, summary: '较好完成' })).status).toBe(200);
    expect((await call('ent001', 'POST', `/dual-commitments/sets/${setId}/self-evaluation`, { side: 'enterprise', score: 80, summary: '基本完成' })).status).toBe(200);
    expect((await call(null, 'POST', open.surveyPath, { rating: 5 })).status).toBeLessThan(300);
    const scores = [{ itemKey: 'p1', score: 90 }, { itemKey: 'e1', score: 75, remark: '延期' }];
    expect((await call('eval01', 'POST', `/dual-commitments/sets/${setId}/scores`, { scores })).status).toBe(200);
    expect((await call('eval01', 'POST', `/dual-commitments/sets/${setId}/sign-off`)).status).toBe(200);
    // Two days later the department countersigns: the record is dated that day, not the host's.
    await call('orgdept', 'POST', '/sandbox/clock', { advance: 'P2D' });
    expect((await call('orgdept', 'POST', `/dual-commitments/sets/${setId}/countersign`)).status).toBe(200);

    let record: Answer | undefined;
    for (let i = 0; i < 600; i++) {
      const answer = await call('orgdept', 'GET', `/dual-commitments/sets/${setId}/reports/evaluation-record`);
      if (answer.status === 200) {
        record = answer;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(record?.headers.get('content-type')).toContain('application/pdf');
    const text = await pdfText(record!.body as Buffer);
    expect(text).toContain('演示环境');
    expect(text).toContain(`生成时间：${year}-12-03`);
    // The signature lines stay blank for hand signing; the system's sign-off and its simulated date are printed beside them.
    expect(text).toContain(`评定为良好。系统签批：考核组成员1签字：${year}年12月1日`); // the evaluator's sign-off
    expect(text).toContain(`同意备案。系统签批：任城区委组织部（盖章）签字：${year}年12月3日`); // the department's countersignature
    if (process.env.SANDBOX_TEST_PDF) await writeFile(process.env.SANDBOX_TEST_PDF, record!.body as Buffer);
    const filed = (await call('orgdept', 'GET', `/dual-commitments/sets/${setId}`)).body;
    expect(filed.gate).toBe('filed');
  }, 300_000);
});
