// 公示 objections (issue 19): the assessed or staff in the round's unit file one from the round
// page, residents from the public page (no account; rate-limited per client, phone optional);
// the department answers each. This service writes what was filed (status `filed`), then tells
// the round's workflow, whose validator has the last word (公示 only, a scheme with objections);
// its activity makes the objection open (or records the answer and the correction). A refused
// filing stays on record as `refused` (it counts for the client's hourly limit).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { badRequest, conflictOf, notFound, rateLimited } from '../../../domain/errors.ts';
import { answerAssessmentObjection, fileAssessmentObjection } from '../../../domain/assessment/contracts.ts';
import { answerProblems, DEFAULT_PUBLIC_PER_HOUR, type ObjectionAnswer, type ObjectionFiler } from '../../../domain/assessment/objections.ts';
import type { SchemeDefinition } from '../../../domain/assessment/rules.ts';
import { takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import { asDepartment, publicRoundFor, roundFor, type AssessmentDeps, type Caller, type RoundAccess } from './access.ts';
import { DAY_MS } from '../../../domain/time.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const HOUR_MS = 3_600_000;

interface ObjectionRow {
  id: string; subject_id: string; subject_name: string; filer: ObjectionFiler; filer_name: string | null; account_id: string | null; reason: string;
  status: string; filed_at: Date; answer_reason: string | null; corrected_total: string | null; corrected_band: string | null; removed_honour: boolean;
  answered_at: Date | null; subject_account_id: string | null;
}

const view = (o: ObjectionRow) => ({
  id: o.id, subjectId: o.subject_id, subjectName: o.subject_name, filer: o.filer, filerName: o.filer_name, reason: o.reason,
  status: o.status as 'open', filedAt: iso(o.filed_at)!, answerReason: o.answer_reason,
  correctedTotal: o.corrected_total === null ? null : Number(o.corrected_total), correctedBand: o.corrected_band, removedHonour: o.removed_honour,
  answeredAt: iso(o.answered_at),
});

export function createObjectionService(deps: AssessmentDeps) {
  const rows = (em: EntityManager, roundId: string, extra = '', args: unknown[] = []) => em.execute<ObjectionRow[]>(
    `select o.*, s.name subject_name, s.account_id subject_account_id from assessment_objection o join assessment_subject s on s.id = o.subject_id
      where o.round_id = ? and o.status <> 'refused' ${extra} order by o.filed_at`, [roundId, ...args]);

  /** What the round page shows: all for the department; else what the caller filed or what is about the caller. */
  async function visible(c: Caller, access: RoundAccess) {
    const all = await rows(c.em, access.round.id);
    const me = c.principal.accountId;
    return all.filter((o) => access.department || o.account_id === me || o.subject_account_id === me).map(view);
  }

  const publicityOpen = (d: SchemeDefinition, stage: string, publicityAt: Date | null, now: Date) =>
    Boolean(d.objections) && stage === 'publicity' && publicityAt !== null && now.getTime() < publicityAt.getTime() + d.publicityDays * DAY_MS;

  async function publicityStart(em: EntityManager, roundId: string): Promise<Date | null> {
    const [r] = await em.execute<{ at: Date | null }[]>('select publicity_at at from assessment_round where id = ?', [roundId]);
    return r?.at ? new Date(r.at) : null;
  }

  async function tell(em: EntityManager, access: RoundAccess, id: string, subjectId: string, filer: ObjectionFiler, accountId: string | null) {
    try {
      await tellWorkflow(() => takeUpdate(deps.bounds, deps.temporal.workflow.getHandle(access.round.workflow_id), fileAssessmentObjection,
        [{ objectionId: id, subjectId, filer, accountId }]));
    } catch (error) {
      await em.execute("update assessment_objection set status = 'refused' where id = ? and status = 'filed'", [id]);
      throw error;
    }
  }

  /** The assessed or staff in the round's unit (and the department) file from the round page. */
  async function file(c: Caller, roundId: string, body: { subjectId: string; reason: string }) {
    const access = await roundFor(c, roundId);
    const [subject] = await c.em.execute<{ id: string; account_id: string | null }[]>(
      'select id, account_id from assessment_subject where id = ? and round_id = ?', [body.subjectId, roundId]);
    if (!subject) throw badRequest('names nobody assessed in this round', [{ field: 'body.subjectId', rule: 'is not assessed in this round' }]);
    if (!access.round.definition.objections) throw conflictOf('no_objections', 'this scheme takes no objections');
    if (access.round.stage !== 'publicity') throw conflictOf('wrong_stage', 'objections are taken during 公示 only');
    const filer: ObjectionFiler = subject.account_id === c.principal.accountId ? 'subject' : 'staff';
    const id = randomUUID();
    await c.em.transactional(async (tx) => {
      await tx.execute(
        'insert into assessment_objection (id, round_id, subject_id, filer, account_id, filer_name, reason, filed_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
        [id, roundId, body.subjectId, filer, c.principal.accountId, c.principal.displayName ?? c.principal.login, body.reason.trim(), deps.clock.now()]);
      await recordAudit(tx as EntityManager, { actor: { accountId: c.principal.accountId, label: c.principal.login }, action: 'assessment_objection.file',
        entityType: 'assessment_round', entityId: roundId, after: { objectionId: id, subjectId: body.subjectId, filer } });
    });
    await tell(c.em, access, id, body.subjectId, filer, c.principal.accountId);
    return view((await rows(c.em, roundId, 'and o.id = ?', [id]))[0]!);
  }

  /** Residents through the public page: no account, at most `publicPerHour` from one client an hour. */
  async function filePublic(em: EntityManager, roundId: string, body: { subjectId: string; reason: string; name?: string; phone?: string }, client: string) {
    const access = await publicRoundFor(em, roundId);
    const d = access.round.definition;
    const [subject] = await em.execute<{ id: string }[]>('select id from assessment_subject where id = ? and round_id = ?', [body.subjectId, roundId]);
    if (!subject) throw badRequest('names nobody assessed in this round', [{ field: 'body.subjectId', rule: 'is not assessed in this round' }]);
    if (!publicityOpen(d, access.round.stage, await publicityStart(em, roundId), deps.clock.now()))
      throw conflictOf('window_closed', 'objections are taken during 公示 only');
    const perHour = d.objections?.publicPerHour ?? DEFAULT_PUBLIC_PER_HOUR;
    const [recent] = await em.execute<{ n: string }[]>('select count(*) n from assessment_objection where round_id = ? and client_hash = ? and filed_at > ?',
      [roundId, client, new Date(deps.clock.now().getTime() - HOUR_MS)]);
    if (Number(recent!.n) >= perHour) throw rateLimited(`at most ${perHour} objections an hour from one client`);
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await tx.execute(`insert into assessment_objection (id, round_id, subject_id, filer, filer_name, phone, reason, client_hash, filed_at)
        values (?, ?, ?, 'resident', ?, ?, ?, ?, ?)`, [id, roundId, body.subjectId, body.name?.trim() || null, body.phone ?? null, body.reason.trim(), client,
        deps.clock.now()]);
      await recordAudit(tx as EntityManager, { actor: PUBLIC_LINK_ACTOR, action: 'assessment_objection.file_public', entityType: 'assessment_round',
        entityId: roundId, after: { objectionId: id, subjectId: body.subjectId, client, phone: Boolean(body.phone) } });
    });
    await tell(em, access, id, body.subjectId, 'resident', null);
    return { objectionId: id, accepted: true };
  }

  /** The department over the round's unit answers; the workflow refuses a second answer or a broken one. */
  async function answer(c: Caller, roundId: string, objectionId: string, body: Omit<ObjectionAnswer, 'objectionId' | 'accountId'>) {
    const access = await roundFor(c, roundId);
    const [o] = await rows(c.em, roundId, 'and o.id = ?', [objectionId]);
    if (!o) throw notFound('objection');
    asDepartment(access, 'answers objections');
    const a: ObjectionAnswer = { ...body, objectionId, accountId: c.principal.accountId };
    const problems = answerProblems(access.round.definition.bands, a);
    if (problems.length) throw badRequest('the answer cannot be accepted', problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    if (o.status !== 'open') throw conflictOf('wrong_stage', 'this objection has been answered already');
    await tellWorkflow(() => takeUpdate(deps.bounds, deps.temporal.workflow.getHandle(access.round.workflow_id), answerAssessmentObjection, [a]));
    return view((await rows(c.em, roundId, 'and o.id = ?', [objectionId]))[0]!);
  }

  async function publicPage(em: EntityManager, roundId: string) {
    const { round } = await publicRoundFor(em, roundId);
    const d = round.definition;
    const at = await publicityStart(em, roundId);
    const shown = round.stage === 'publicity' || round.stage === 'closed';
    type Shown = { id: string; name: string; unit_name: string; rank: number | null; band: string | null; total: string | null };
    const subjects = shown ? await em.execute<Shown[]>(
      `select s.id, s.name, u.name unit_name, s.rank, s.band, s.total from assessment_subject s join administrative_unit u on u.id = s.unit_id
        where s.round_id = ? order by s.rank nulls last, s.name`, [roundId]) : [];
    const bandName = new Map(d.bands.map((b) => [b.key, b.name]));
    return {
      schemeName: d.name, period: round.period, unitName: round.unit_name, stage: round.stage,
      open: publicityOpen(d, round.stage, at, deps.clock.now()), publicityEndsAt: at ? iso(new Date(at.getTime() + d.publicityDays * DAY_MS)) : null,
      subjects: subjects.map((s) => ({ id: s.id, name: s.name, unitName: s.unit_name, rank: s.rank, bandName: s.band ? (bandName.get(s.band) ?? s.band) : null,
        total: s.total === null ? null : Number(s.total) })),
    };
  }

  return { visible, file, filePublic, answer, publicPage, publicityOpen, publicityStart };
}
