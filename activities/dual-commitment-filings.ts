// The dual commitments activities that record what the workflow accepted from people: each
// update handler runs one of them before it answers, so a record exists exactly when the
// workflow took the action, and the gates wait for it (the workflow's `recorded()`).
// Who writes what (issue 13, one writer per record):
// - commitment_set_version: the API inserts and edits drafts (people's text, no workflow yet);
//   these activities mark a version submitted, approved, returned or superseded.
// - commitment_item_progress: these activities only (rows on approval, filed status and
//   evidence, the evaluator's scores; reminders and escalations in activities/dual-commitment.ts).
// - commitment_set: the API creates the row at the cycle's start and keeps its start
//   bookkeeping and draft counter; everything else is written by the activities.
// - commitment_feedback: the API only (public feedback and survey answers, no workflow).
// Idempotent: a retried activity finds its change made (state- or value-keyed) and writes nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../domain/audit/record.ts';
import type { AuditActor } from '../domain/audit/record.ts';
import type { Actor } from '../domain/dual-commitment/state.ts';
import { superiorOf, type CommitmentSide, type FulfilmentStatus } from '../domain/dual-commitment/rules.ts';
import type { FactualEvaluationRecord, ItemScore, SuperiorOrganization } from '../domain/dual-commitment/contracts.ts';
import { Account } from '../domain/entities/account.ts';
import { CommitmentItemProgress, CommitmentSet, CommitmentSetVersion } from '../domain/entities/commitment.ts';
import type { Clock } from '../domain/clock.ts';
import { accountsOver, loadSet, orgName as org, tell } from './dual-commitment-support.ts';

const auditActor = (actor: Actor): AuditActor => ({ accountId: actor.accountId, label: actor.login });

export function createCommitmentFilingActivities(fork: () => EntityManager, clock: Clock) {
  return {
    async recordSetSubmitted(input: { setId: string; version: number; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        const version = await tx.findOneOrFail(CommitmentSetVersion, { set: set.id, version: input.version });
        if (version.status === 'submitted') return;
        version.status = 'submitted';
        version.submittedBy = tx.getReference(Account, input.actor.accountId) as never;
        version.submittedAt = clock.now();
        set.status = 'submitted';
        const reviewers = await accountsOver(tx, set, ['community_committee', 'street_committee', 'evaluator']);
        await tell(tx, reviewers, 'commitment_submitted', `${org(set)} 提交双向承诺待审核`, `第${input.version}版承诺已提交，请审核。`);
        await tx.flush();
        const after = { version: input.version };
        await recordAudit(tx, { actor: auditActor(input.actor), action: 'commitment_set.submit', entityType: 'commitment_set', entityId: set.id, after });
      });
    },

    async recordSetReviewed(input: { setId: string; version: number; decision: 'approve' | 'return'; comments: string; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        const version = await tx.findOneOrFail(CommitmentSetVersion, { set: set.id, version: input.version });
        if (version.status !== 'submitted') return;
        version.status = input.decision === 'approve' ? 'approved' : 'returned';
        version.reviewedBy = tx.getReference(Account, input.actor.accountId) as never;
        version.reviewedAt = clock.now();
        version.reviewComments = input.comments || null;
        if (input.decision === 'approve') {
          if (set.approvedVersion) await tx.nativeUpdate(CommitmentSetVersion, { set: set.id, version: set.approvedVersion }, { status: 'superseded' });
          set.approvedVersion = input.version;
          set.status = 'approved';
          for (const item of version.items) {
            const existing = await tx.findOne(CommitmentItemProgress, { set: set.id, itemKey: item.key });
            if (!existing) tx.create(CommitmentItemProgress, { set: set.id, itemKey: item.key } as never);
          }
        } else {
          set.status = set.approvedVersion ? 'approved' : 'returned';
        }
        const title = input.decision === 'approve' ? '双向承诺已审核通过' : '双向承诺被退回修改';
        const kind = `commitment_${input.decision === 'approve' ? 'approved' : 'returned'}`;
        await tell(tx, await accountsOver(tx, set, ['enterprise_rep', 'enterprise_party_org']), kind, title, input.comments || title);
        await tx.flush();
        const after = { version: input.version, comments: input.comments };
        const action = `commitment_set.${input.decision}`;
        await recordAudit(tx, { actor: auditActor(input.actor), action, entityType: 'commitment_set', entityId: set.id, after });
      });
    },


    async recordSignOff(input: { setId: string; step: 'evaluator' | 'department'; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await tx.findOneOrFail(CommitmentSet, { id: input.setId });
        const by = tx.getReference(Account, input.actor.accountId) as never;
        if (input.step === 'evaluator') {
          if (set.evaluatorSignedAt) return;
          set.evaluatorSignedBy = by;
          set.evaluatorSignedAt = clock.now();
        } else {
          if (set.countersignedAt) return;
          set.countersignedBy = by;
          set.countersignedAt = clock.now();
        }
        await tx.flush();
        const action = `commitment_set.sign_off_${input.step}`;
        await recordAudit(tx, { actor: auditActor(input.actor), action, entityType: 'commitment_set', entityId: set.id });
      });
    },

    /**
     * 四双: the street or community writes the 写实评价 (text, its view of each item's status,
     * the superior Party organization to send it to); it also signs as the evaluator. Once.
     */
    async recordFactualEvaluation(input: {
      setId: string;
      text: string;
      itemStatuses: { itemKey: string; status: FulfilmentStatus }[];
      superior?: SuperiorOrganization | null;
      actor: Actor;
    }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        if (set.evaluatorSignedAt) return;
        const at = clock.now();
        const record: FactualEvaluationRecord = {
          variant: 'resident_unit',
          text: input.text.trim(),
          itemStatuses: input.itemStatuses,
          by: input.actor.accountId,
          byLogin: input.actor.login,
          at: at.toISOString(),
          superior: superiorOf(set.organization.getEntity().responsiblePeople, input.superior),
        };
        set.evaluation = record;
        set.evaluatorSignedBy = tx.getReference(Account, input.actor.accountId) as never;
        set.evaluatorSignedAt = at;
        await tell(tx, await accountsOver(tx, set, ['org_department']), 'factual_evaluation_written', `${org(set)} 的“四双”写实评价待会签`, '街道（社区）党组织已完成写实评价，请组织部会签。');
        await tx.flush();
        const after = { length: record.text.length, itemStatuses: record.itemStatuses, superior: record.superior };
        const action = 'commitment_set.factual_evaluation';
        await recordAudit(tx, { actor: auditActor(input.actor), action, entityType: 'commitment_set', entityId: set.id, after });
      });
    },


    /** 践诺: the status of one approved commitment as its side filed it, with its evidence. */
    async recordItemStatus(input: {
      setId: string;
      itemKey: string;
      status: FulfilmentStatus;
      description: string;
      reason: string | null;
      evidenceFileId: string | null;
      actor: Actor;
    }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const progress = await tx.findOneOrFail(CommitmentItemProgress, { set: input.setId, itemKey: input.itemKey });
        const evidenceFileId = input.evidenceFileId ?? progress.evidenceFileId ?? null;
        const after = { status: input.status, description: input.description, reason: input.reason, evidenceFileId };
        const same = progress.filedAt && progress.filedBy?.id === input.actor.accountId && progress.status === after.status &&
          progress.description === after.description && (progress.reason ?? null) === after.reason && (progress.evidenceFileId ?? null) === evidenceFileId;
        if (same) return;
        const before = { status: progress.status, reason: progress.reason, evidenceFileId: progress.evidenceFileId };
        Object.assign(progress, { ...after, filedBy: tx.getReference(Account, input.actor.accountId), filedAt: clock.now() });
        await tx.flush();
        const audit = { action: 'commitment_item.file_status', entityType: 'commitment_item_progress', entityId: progress.id, before, after };
        await recordAudit(tx, { actor: auditActor(input.actor), ...audit });
      });
    },

    /** 评诺: a side's self-evaluation (it may be given again until the evaluation is signed). */
    async recordSelfEvaluation(input: { setId: string; side: CommitmentSide; score: number; summary: string; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await tx.findOneOrFail(CommitmentSet, { id: input.setId });
        const previous = set.selfEvaluations[input.side] ?? null;
        if (previous && previous.score === input.score && previous.summary === input.summary && previous.by === input.actor.login) return;
        const given = { score: input.score, summary: input.summary, by: input.actor.login, at: clock.now().toISOString() };
        set.selfEvaluations = { ...set.selfEvaluations, [input.side]: given };
        await tx.flush();
        const after = { side: input.side, score: input.score, summary: input.summary };
        const audit = { action: 'commitment_set.self_evaluate', entityType: 'commitment_set', entityId: set.id, before: previous, after };
        await recordAudit(tx, { actor: auditActor(input.actor), ...audit });
      });
    },

    /** 评诺: the evaluator's score of every approved commitment. */
    async recordScores(input: { setId: string; scores: ItemScore[]; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const rows = await tx.find(CommitmentItemProgress, { set: input.setId });
        const given = new Map(input.scores.map((s) => [s.itemKey, s]));
        const changed = rows.some((r) => Number(r.score ?? NaN) !== given.get(r.itemKey)?.score
          || (r.scoreRemark ?? null) !== (given.get(r.itemKey)?.remark ?? null));
        if (!changed) return;
        const before = rows.map((r) => ({ itemKey: r.itemKey, score: r.score }));
        const scores = rows.map((r) => ({ itemKey: r.itemKey, score: given.get(r.itemKey)?.score ?? null, remark: given.get(r.itemKey)?.remark ?? null }));
        for (const row of rows) Object.assign(row, { score: given.get(row.itemKey)?.score ?? null, scoreRemark: given.get(row.itemKey)?.remark ?? null });
        await tx.flush();
        const audit = { action: 'commitment_set.score', entityType: 'commitment_set', entityId: input.setId, before, after: scores };
        await recordAudit(tx, { actor: auditActor(input.actor), ...audit });
      });
    },
  };
}
