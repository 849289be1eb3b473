// Rounds of a scheme: the department starts one over a unit of its jurisdiction for a period
// (the version published last is pinned), the assessed are found by the scheme's target, and the
// round's workflow starts (ID assessment-round/<roundId>, one child per assessed). Reads come from
// the tables the workflows' activities write: stage, results, ranking, pay-grade moves.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { badRequest, conflictOf, notFound } from '../../../domain/errors.ts';
import { DAY_MS } from '../../../domain/time.ts';
import type { RateCount, SchemeDefinition } from '../../../domain/assessment/rules.ts';
import { ASSESSMENT_ROUND_WORKFLOW, assessedWorkflowId, assessmentRoundWorkflowId, type RoundInput } from '../../../domain/assessment/contracts.ts';
import { reportRelativePath } from '../../../reports/store.ts';
import { workflowUnavailable } from '../../workflow-refusals.ts';
import { createObjectionService } from './objections.ts';
import {
  canSignOff, readsPapers, roundFor, schemeFor, scopePaths, sourcesFor, unitInScope, type AssessmentDeps, type Caller, type RoundAccess, type SubjectRow,
} from './access.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface Start { schemeId: string; unitId: string; period: string; from: string; to: string }

type Assessed = { account_id: string | null; unit_id: string; name: string; organization_id: string | null };
async function assessedOf(em: EntityManager, d: SchemeDefinition, unitPath: string): Promise<Assessed[]> {
  if (d.target.kind === 'role') {
    return em.execute<Assessed[]>(
      `select distinct on (ra.account_id) ra.account_id, u.id unit_id, a.display_name name, null organization_id from role_assignment ra
         join account a on a.id = ra.account_id and a.active join administrative_unit u on u.id = ra.unit_id
        where ra.role = ? and u.level = ? and u.path like ? order by ra.account_id, u.path limit 5000`, [d.target.role, d.target.unitLevel, `${unitPath}%`]);
  }
  if (d.target.kind === 'organization') {
    // Organizations of the kind located in the unit's subtree (a property company serves the compounds of its unit).
    return em.execute<Assessed[]>(
      `select null account_id, o.unit_id, o.name, o.id organization_id from organization o join administrative_unit u on u.id = o.unit_id
        where o.kind = ? and u.path like ? order by u.path, o.name limit 5000`, [d.target.orgKind, `${unitPath}%`]);
  }
  return em.execute<Assessed[]>(
    'select null account_id, id unit_id, name, null organization_id from administrative_unit where level = ? and path like ? order by path limit 5000',
    [d.target.unitLevel, `${unitPath}%`]);
}

export function createRoundService(deps: AssessmentDeps) {
  const objections = createObjectionService(deps);
  /** 公示 objections on the round page: those the caller sees, whether it may file one now, whether it answers them. */
  async function objectionsOf(c: Caller, access: RoundAccess) {
    const d = access.round.definition;
    if (!d.objections) return {};
    const open = objections.publicityOpen(d, access.round.stage, await objections.publicityStart(c.em, access.round.id), deps.clock.now());
    return { objections: await objections.visible(c, access), canObject: open, canAnswer: access.department && access.round.stage === 'publicity' };
  }

  async function start(c: Caller, body: Start) {
    const { scheme } = await schemeFor(c, body.schemeId);
    const unit = await unitInScope(c, body.unitId, ['org_department']);
    if (scheme.latest_version < 1) throw conflictOf('not_published', 'publish the scheme before starting a round');
    if (body.from > body.to) throw badRequest('the period ends before it starts', [{ field: 'body.to', rule: 'must not be before from' }]);
    const taken = await c.em.execute('select 1 from assessment_round where scheme_id = ? and unit_id = ? and period = ?',
      [scheme.id, unit.id, body.period.trim()]);
    if (taken.length) throw conflictOf('round_exists', `a round of this scheme over ${unit.name} for ${body.period} exists already`);
    const [{ definition }] = (await c.em.execute<{ definition: SchemeDefinition }[]>(
      'select definition from assessment_scheme_version where scheme_id = ? and version = ?',
      [scheme.id, scheme.latest_version])) as [{ definition: SchemeDefinition }];
    // With a nomination stage the subjects are the accepted candidates, admitted by the workflow when the review ends.
    const assessed = definition.nomination ? [] : await assessedOf(c.em, definition, unit.path);
    if (!definition.nomination && !assessed.length) {
      throw badRequest('nobody under this unit is assessed by the scheme', [{ field: 'body.unitId', rule: 'has nobody the scheme targets' }]);
    }
    const roundId = randomUUID();
    const now = deps.clock.now();
    const nominationDays = definition.nomination ? definition.nomination.days + definition.nomination.reviewDays : 0;
    const subjects = assessed.map((a) => ({ ...a, id: randomUUID() }));
    const workflowId = assessmentRoundWorkflowId(roundId);
    await c.em.transactional(async (tx) => {
      await tx.execute(
        `insert into assessment_round
           (id, scheme_id, version, unit_id, period, period_from, period_to, workflow_id, scoring_due_at, started_by, started_at, stage)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [roundId, scheme.id, scheme.latest_version, unit.id, body.period.trim(), body.from, body.to, workflowId,
          new Date(now.getTime() + (nominationDays + definition.deadlines.scoringDays) * DAY_MS),
          c.principal.accountId, now, definition.nomination ? 'nomination' : 'scoring']);
      for (const s of subjects) {
        await tx.execute('insert into assessment_subject (id, round_id, account_id, unit_id, name, workflow_id, organization_id) values (?, ?, ?, ?, ?, ?, ?)',
          [s.id, roundId, s.account_id, s.unit_id, s.name, assessedWorkflowId(roundId, s.id), s.organization_id]);
      }
      await recordAudit(tx as EntityManager, { actor: { accountId: c.principal.accountId, label: c.principal.login }, action: 'assessment_round.start',
        entityType: 'assessment_round', entityId: roundId,
        after: { schemeId: scheme.id, version: scheme.latest_version, unitId: unit.id, assessed: subjects.length } });
    });
    const input: RoundInput = { roundId, definition, subjects: subjects.map((s) => ({ subjectId: s.id, accountId: s.account_id })) };
    try {
      await deps.temporal.workflow.start(ASSESSMENT_ROUND_WORKFLOW, { taskQueue: deps.taskQueue, workflowId, args: [input] });
    } catch (error) {
      await c.em.execute('delete from assessment_round where id = ?', [roundId]);
      throw workflowUnavailable(`the round could not be started (${(error as Error).message}); nothing was kept, try again`);
    }
    return get(c, roundId);
  }

  async function list(c: Caller) {
    const paths = scopePaths(c.principal);
    if (!paths.length) return { items: [] };
    const where = `where ${paths.map(() => '(u.path like ? or ? like u.path || \'%\')').join(' or ')}`;
    const rows = await c.em.execute<{ id: string }[]>(
      `select r.id from assessment_round r join administrative_unit u on u.id = r.unit_id ${where} order by r.started_at desc limit 200`,
      paths.flatMap((p) => [`${p}%`, p]));
    const items = [];
    for (const r of rows) items.push(summary((await roundFor(c, r.id)).round, await countOf(c.em, r.id)));
    return { items };
  }

  const countOf = async (em: EntityManager, id: string) =>
    Number((await em.execute<{ n: string }[]>('select count(*) n from assessment_subject where round_id = ?', [id]))[0]!.n);

  const summary = (r: RoundAccess['round'], assessed: number) => ({
    id: r.id, schemeId: r.scheme_id, schemeName: r.definition.name, version: r.version, unitId: r.unit_id, unitName: r.unit_name, period: r.period,
    stage: r.stage, signOffStep: r.sign_off_step, scoringDueAt: iso(r.scoring_due_at)!, startedAt: iso(r.started_at)!, closedAt: iso(r.closed_at),
    assessed, hasRanking: r.ranking_sha256 !== null,
  });

  type FullSubject = SubjectRow & {
    unit_name: string; total: string | null; rates: Record<string, RateCount> | null; no_data: string[] | null;
    rank: number | null; band: string | null; capped: boolean;
    pay_grade_before: number | null; pay_grade_after: number | null; honoured: boolean; bonus: number | null; corrected: boolean;
    score_sheet_sha256: string | null; notice_sha256: string | null };

  async function subjectsOf(c: Caller, access: RoundAccess) {
    const rows = await c.em.execute<FullSubject[]>(
      `select s.*, u.path unit_path, u.name unit_name from assessment_subject s join administrative_unit u on u.id = s.unit_id
        where s.round_id = ? order by s.rank nulls last, s.name`, [access.round.id]);
    const peerPaths = rows.filter((s) => s.account_id === c.principal.accountId).map((s) => s.unit_path);
    const parent = (p: string) => p.replace(/[^/]+\/$/, '');
    // Named voters (党员代表…) vote on every subject of the round.
    const visible = access.department || access.named?.length ? rows : rows.filter((s) => access.within.some((p) => s.unit_path.startsWith(p))
      || peerPaths.some((p) => parent(p) === parent(s.unit_path)) || s.account_id === c.principal.accountId);
    return { rows: visible, peerPaths };
  }

  async function get(c: Caller, id: string) {
    const access = await roundFor(c, id);
    const { round } = access;
    const d = round.definition;
    const { rows, peerPaths } = await subjectsOf(c, access);
    const filings = await c.em.execute<{ subject_id: string; source: string; account_id: string; entries: Record<string, unknown> }[]>(
      'select f.subject_id, f.source, f.account_id, f.entries from assessment_filing f join assessment_subject s on s.id = f.subject_id where s.round_id = ?',
      [round.id]);
    const signOffs = await c.em.execute<{ step: number; role: string; display_name: string; signed_at: Date }[]>(
      `select o.step, o.role, a.display_name, o.signed_at from assessment_sign_off o join account a on a.id = o.account_id
        where o.round_id = ? order by o.step`,
      [round.id]);
    const resultsShown = access.department || round.stage === 'publicity' || round.stage === 'closed';
    const bandName = new Map(d.bands.map((b) => [b.key, b.name]));
    return {
      ...summary(round, rows.length), definition: d, resultsShown, canSignOff: canSignOff(c, round), canClose: access.department && round.stage === 'scoring',
      ...(await objectionsOf(c, access)),
      signOffs: signOffs.map((s) => ({ step: s.step, role: s.role, signer: s.display_name, signedAt: iso(s.signed_at)! })),
      subjects: rows.map((s) => {
        const mine = filings.filter((f) => f.subject_id === s.id && f.account_id === c.principal.accountId);
        const filed: Record<string, number> = {};
        for (const f of filings.filter((x) => x.subject_id === s.id)) filed[f.source] = (filed[f.source] ?? 0) + 1;
        const shown = resultsShown || s.account_id === c.principal.accountId;
        return {
          id: s.id, name: s.name, unitName: s.unit_name, filed, honoured: shown && s.honoured, capped: shown && s.capped,
          total: shown && s.total !== null ? Number(s.total) : null, rank: shown ? s.rank : null, band: shown ? s.band : null,
          bandName: shown && s.band ? (bandName.get(s.band) ?? s.band) : null,
          payGradeBefore: shown ? s.pay_grade_before : null, payGradeAfter: shown ? s.pay_grade_after : null,
          bonus: shown ? s.bonus : null, corrected: shown && s.corrected,
          mySources: round.stage === 'scoring' ? sourcesFor(c, access, s, peerPaths) : [],
          myFilings: Object.fromEntries(mine.map((f) => [f.source, f.entries])),
          rates: shown ? (s.rates ?? null) : null, noData: shown ? (s.no_data ?? []) : [],
          papers: readsPapers(c, access, s) ? { scoreSheet: s.score_sheet_sha256 !== null, resultNotice: s.notice_sha256 !== null }
            : { scoreSheet: false, resultNotice: false },
        };
      }),
    };
  }

  async function subjectFor(c: Caller, roundId: string, subjectId: string) {
    const access = await roundFor(c, roundId);
    const { rows, peerPaths } = await subjectsOf(c, access);
    const subject = rows.find((s) => s.id === subjectId);
    if (!subject) throw notFound('assessed person or unit');
    return { access, subject, peerPaths };
  }

  async function ranking(c: Caller, id: string): Promise<{ sha256: string; pdf: Buffer }> {
    const { round } = await roundFor(c, id);
    if (!round.ranking_sha256) throw notFound('ranking');
    return { sha256: round.ranking_sha256, pdf: await readFile(path.join(deps.dataDir, reportRelativePath(round.ranking_sha256))) };
  }

  async function payGrades(c: Caller, id: string) {
    const access = await roundFor(c, id);
    const { rows } = await subjectsOf(c, access);
    const bandName = new Map(access.round.definition.bands.map((b) => [b.key, b.name]));
    const shown = access.department || access.round.stage === 'publicity' || access.round.stage === 'closed';
    const ranked = shown ? rows.filter((s) => s.rank !== null && s.band !== null) : [];
    const base = (s: FullSubject) => ({ subjectId: s.id, name: s.name, unitName: s.unit_name, rank: s.rank!, bandName: bandName.get(s.band!) ?? s.band! });
    return {
      roundId: id, applied: access.round.stage === 'closed',
      items: ranked.filter((s) => s.pay_grade_before !== null).map((s) => ({ ...base(s), before: s.pay_grade_before!, after: s.pay_grade_after!,
        step: s.pay_grade_after! - s.pay_grade_before!, bonus: s.bonus })),
      bonuses: ranked.filter((s) => s.bonus !== null).map((s) => ({ subjectId: s.id, name: s.name, bandName: base(s).bandName, bonus: s.bonus! })),
      honours: ranked.filter((s) => s.honoured).map(base),
    };
  }

  return { start, list, get, subjectFor, ranking, payGrades };
}
