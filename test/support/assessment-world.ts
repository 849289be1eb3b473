// The one world of the assessments API tests (test/api/assessments/): the cycle harness with the
// assessment activities, and 高新区 with two streets (柳行街道 and 洸河街道), communities under 柳行街道
// (the first one's staff log in as `community`), grids under the first community each with a grid
// worker (w1, w2, …: community_committee on the grid), and 任城区, another district whose department
// (dept2) may see nothing of 高新区. Accounts log in with API tokens; `call` acts as one of them.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, httpCaller, type CycleHarness, type HttpAnswer } from './cycle-harness.ts';
import type { TestApp } from './app.ts';
import { unitMaker } from './fixtures.ts';
import { createAssessmentActivities } from '../../activities/assessment.ts';

export type Json = Record<string, any>;

export interface AssessmentWorldOptions {
  /** Communities under 柳行街道; the first is `community` (default: 仙营社区 alone). */
  communities?: string[];
  /** Grids 仙营社区第N网格 under the first community, each with its grid worker wN (default none). */
  grids?: number;
  /** 洸河社区 under 洸河街道 with its 洸河社区第1网格 (ids.grid2). */
  street2Grid?: boolean;
  /** The address the papers' QR codes and links name (the activities' publicBaseUrl; none by default). */
  publicBaseUrl?: string;
}

export interface AssessmentWorld {
  harness: CycleHarness;
  env: TestWorkflowEnvironment;
  app: TestApp;
  /** Bearer tokens by login: dept, dept2, street, street2, community, w1…wN. */
  tokens: Record<string, string>;
  /**
   * Unit and account IDs: district, district2, street, street2, community, c0…cN (the communities in order),
   * g1…gN (grids), grid (= g1), grid2 (洸河街道's grid), w1…wN (the grid workers' accounts).
   */
  ids: Record<string, string>;
  /** `call(login, method, url, payload?)` as that login (null: anonymous). */
  call(login: string | null, method: string, url: string, payload?: unknown): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export async function startAssessmentWorld(options: AssessmentWorldOptions = {}): Promise<AssessmentWorld> {
  const harness = await startCycleHarness((app) => createAssessmentActivities({ orm: app.orm, publicBaseUrl: options.publicBaseUrl }));
  const { env, app } = harness;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('AD', '高新区', 'district', null);
  const district2 = unit('AD2', '任城区', 'district', null);
  const street = unit('AS', '柳行街道', 'street', district);
  const street2 = unit('AS2', '洸河街道', 'street', district);
  const communities = (options.communities ?? ['仙营社区']).map((name, i) => unit(`AC${i}`, name, 'community', street));
  const grids = Array.from({ length: options.grids ?? 0 }, (_, i) => unit(`AG${i + 1}`, `${communities[0]!.name}第${i + 1}网格`, 'grid', communities[0]!));
  Object.assign(ids, { district: district.id, district2: district2.id, street: street.id, street2: street2.id, community: communities[0]!.id });
  communities.forEach((c, i) => { ids[`c${i}`] = c.id; });
  grids.forEach((g, i) => { ids[`g${i + 1}`] = g.id; });
  if (grids[0]) ids.grid = grids[0].id;
  if (options.street2Grid) ids.grid2 = unit('AG2-1', '洸河社区第1网格', 'grid', unit('AC2-0', '洸河社区', 'community', street2)).id;
  grantWithToken(em, tokens, 'dept', 'org_department', { unit: district });
  grantWithToken(em, tokens, 'dept2', 'org_department', { unit: district2 });
  grantWithToken(em, tokens, 'street', 'street_committee', { unit: street });
  grantWithToken(em, tokens, 'street2', 'street_committee', { unit: street2 });
  grantWithToken(em, tokens, 'community', 'community_committee', { unit: communities[0] });
  grids.forEach((g, i) => { ids[`w${i + 1}`] = grantWithToken(em, tokens, `w${i + 1}`, 'community_committee', { unit: g }).id; });
  await em.flush();
  return { harness, env, app, tokens, ids, call: httpCaller(app, (login) => tokens[login]), close: () => harness.close() };
}

/** The JSON body of a call. */
export const json = async (answer: Promise<HttpAnswer>) => (await answer).body as Json;

/** Reads until `ok` holds (a workflow moved on), or fails naming `what` and the last value read. */
export async function until(read: () => Promise<Json>, ok: (v: Json) => boolean, what: string, ms = 60_000): Promise<Json> {
  let v: Json = {};
  for (const end = Date.now() + ms; Date.now() < end;) {
    v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 400)}`);
}
