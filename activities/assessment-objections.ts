// Activities of 公示 objections (issue 19): an objection the round's workflow accepted becomes
// open; the department's answer is recorded and, when upheld, corrects the assessed's total,
// band, pay-grade move, bonus and place on the 评先树优 list (applied when the round closes).
// Every step is audited. Idempotent: a retried answer finds the objection answered and the
// subject already corrected, and writes the same values again.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { bonusOf, correctedBand, type ObjectionAnswer } from '../domain/assessment/objections.ts';
import { payGradeMove, rank, type SchemeDefinition } from '../domain/assessment/rules.ts';

export function createAssessmentObjectionActivities(deps: { orm: MikroORM }) {
  const fork = () => deps.orm.em.fork() as EntityManager;

  return {
    async acceptAssessmentObjection(input: { roundId: string; objectionId: string; at: number }): Promise<void> {
      await fork().transactional(async (em) => {
        await em.execute("update assessment_objection set status = 'open', accepted_at = coalesce(accepted_at, ?) where id = ? and status in ('filed', 'open')",
          [new Date(input.at), input.objectionId]);
        await recordAudit(em, { actor: SYSTEM_ACTOR, action: 'assessment_objection.accepted', entityType: 'assessment_round', entityId: input.roundId,
          after: { objectionId: input.objectionId } });
      });
    },

    /** Records the answer; an upheld one corrects the subject (re-ranking the round by the corrected totals). */
    async answerAssessmentObjection(input: { roundId: string; answer: ObjectionAnswer; definition: SchemeDefinition; at: number }): Promise<void> {
      const { answer: a, definition: d } = input;
      await fork().transactional(async (em) => {
        const [o] = await em.execute<{ subject_id: string }[]>('select subject_id from assessment_objection where id = ?', [a.objectionId]);
        if (!o) throw new Error(`objection ${a.objectionId} is not recorded`);
        await em.execute(
          `update assessment_objection set status = ?, answer_reason = ?, corrected_total = ?, corrected_band = ?, removed_honour = ?, answered_by = ?,
             answered_at = ? where id = ?`,
          [a.decision, a.reason.trim(), a.correctedTotal ?? null, a.correctedBand ?? null, a.removeHonour === true, a.accountId, new Date(input.at), a.objectionId]);
        let after: Record<string, unknown> = { objectionId: a.objectionId, decision: a.decision };
        if (a.decision === 'upheld') {
          const [s] = await em.execute<{ total: string; band: string; pay_grade_before: number | null; honoured: boolean }[]>(
            'select total, band, pay_grade_before, honoured from assessment_subject where id = ?', [o.subject_id]);
          const band = correctedBand(d.bands, a, s!.band);
          const total = a.correctedTotal ?? Number(s!.total);
          const payAfter = s!.pay_grade_before === null ? null : payGradeMove(d, band, s!.pay_grade_before).after;
          const honoured = s!.honoured && a.removeHonour !== true && (d.outputs.honourBands ?? []).includes(band);
          await em.execute('update assessment_subject set total = ?, band = ?, pay_grade_after = ?, bonus = ?, honoured = ?, corrected = true where id = ?',
            [total, band, payAfter, bonusOf(d, band), honoured, o.subject_id]);
          const all = await em.execute<{ id: string; name: string; total: string }[]>('select id, name, total from assessment_subject where round_id = ?',
            [input.roundId]);
          for (const r of rank(all.map((x) => ({ id: x.id, name: x.name, total: Number(x.total ?? 0) })))) {
            await em.execute('update assessment_subject set rank = ? where id = ?', [r.rank, r.id]);
          }
          after = { ...after, subjectId: o.subject_id, total, band, payGradeAfter: payAfter, honoured };
        }
        await recordAudit(em, { actor: { accountId: a.accountId, label: 'org_department' }, action: `assessment_objection.${a.decision}`,
          entityType: 'assessment_round', entityId: input.roundId, before: { status: 'open' }, after });
        await em.execute('update assessment_round set revision = revision + 1 where id = ?', [input.roundId]);
      });
    },
  };
}
