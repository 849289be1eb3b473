// Activities of the dual commitments workflow: they write what the workflow decides (gates,
// publication, reminders, escalations, the filed result, reports) and, through
// activities/dual-commitment-filings.ts, what it accepted from people. Each forks its own EntityManager and writes
// idempotently (state-keyed updates, get-or-create links), so a retried activity changes
// nothing twice. PDFs are not made here: these activities build the report data from the
// database, the workflow has it rendered and stored by the shared report pipeline on the
// reports task queue (`renderReport`), then `recordReport` files the PDF's SHA-256 on the set
// and in the audit log.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RenderedReport } from '../domain/reports/contracts.ts';
import { approvedItems, commitmentReportRequests, type CommitmentReportRequest } from './dual-commitment-reports.ts';
import { createCommitmentFilingActivities } from './dual-commitment-filings.ts';
import { accountsOver, loadSet, orgName as org, tell } from './dual-commitment-support.ts';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { hashSecret } from '../domain/auth/secrets.ts';
import { derivedLinkToken } from '../domain/auth/access-links.ts';
import type { Gate } from '../domain/dual-commitment/state.ts';
import { commitmentReportDue, resolveSettings, scoreEvaluation, variantForKind, type EvaluationWeights } from '../domain/dual-commitment/rules.ts';
import {
  PUBLIC_COMMITMENTS,
  STAFF_SURVEY,
  type CommitmentReportType,
  type FactualEvaluationRecord,
} from '../domain/dual-commitment/contracts.ts';
import { dueWhen } from '../domain/dual-commitment/due-days.ts';
import { CommitmentFeedback, CommitmentItemProgress, CommitmentSet } from '../domain/entities/commitment.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { documentNumberOf } from '../domain/documents/issuer.ts';

export interface DualCommitmentActivityDeps {
  orm: MikroORM;
  /** The service's clock (domain/clock.ts); defaults to the one bound to the ORM. */
  clock?: Clock;
  /** Origin of the web application (https://…), for the QR code of a notice's public page; none without it. */
  publicBaseUrl?: string;
}

export function createDualCommitmentActivities(deps: DualCommitmentActivityDeps) {
  const clock = deps.clock ?? clockOf(deps.orm.em);
  const fork = () => deps.orm.em.fork() as EntityManager;
  const { noticeRequest, evaluationRecordRequest, factualEvaluationRequest } = commitmentReportRequests(clock, deps.publicBaseUrl);

  return {
    ...createCommitmentFilingActivities(fork, clock),

    async recordGate(input: { setId: string; gate: Gate }): Promise<void> {
      const em = fork();
      await em.nativeUpdate(CommitmentSet, { id: input.setId, gate: { $ne: input.gate } }, { gate: input.gate, gateEnteredAt: clock.now() });
    },

    /**
     * 亮诺: the public page's link (valid through the year) and the window; returns the notice
     * (承诺公示) to render unless one is already filed.
     */
    async publishCommitments(input: { setId: string; version: number; from: string; to: string }): Promise<{ notice: CommitmentReportRequest | null }> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      const token = await derivedLinkToken(em, PUBLIC_COMMITMENTS, set.id);
      const expiresAt = new Date(Date.UTC(set.year + 1, 2, 31));
      await em.execute(
        'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?) on conflict (token_hash) do nothing',
        [hashSecret(token), PUBLIC_COMMITMENTS, 'commitment_set', set.id, expiresAt, clock.now()],
      );
      await em.transactional(async (tx) => {
        const fresh = await tx.findOneOrFail(CommitmentSet, { id: set.id });
        if (fresh.publishedFrom) return;
        fresh.publishedFrom = new Date(input.from);
        fresh.publishedTo = new Date(input.to);
        await tx.flush();
        await recordAudit(tx, { actor: SYSTEM_ACTOR, action: 'commitment_set.publish', entityType: 'commitment_set', entityId: set.id, after: { version: input.version, from: input.from, to: input.to } });
      });
      if (set.noticeSha256) return { notice: null };
      return { notice: await noticeRequest(em, set, input.version, input.from, input.to, `workflow:${set.workflowId}`) };
    },

    async closePublication(input: { setId: string }): Promise<void> {
      const em = fork();
      await em.nativeUpdate(CommitmentSet, { id: input.setId, publicationClosedAt: null }, { publicationClosedAt: clock.now() });
    },

    /**
     * Reminds who must act before a deadline. The text counts Asia/Shanghai calendar days from
     * `now` (the workflow's clock; absent in histories from before it was passed: this
     * process's clock) to the deadline's last day, read from the records, so a reminder that
     * falls late (the set approved close to an item's deadline) says the days that are left.
     */
    async sendReminder(input: { setId: string; subject: 'submission' | 'item' | 'evaluation'; itemKey: string | null; daysBefore: number; now?: number }): Promise<void> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      const now = input.now ?? clock.now().getTime();
      const cycle = set.cycle.getEntity();
      const { settings } = resolveSettings(cycle.year, cycle.settings);
      if (input.subject === 'evaluation') {
        await tell(em, await accountsOver(em, set, ['evaluator']), 'deadline_reminder', '评诺即将截止', `${set.organization.getEntity().name} 的评诺${dueWhen(settings.evaluationEnd, now, '截止')}，请完成评分和签字。`);
      } else if (input.subject === 'submission') {
        await tell(em, await accountsOver(em, set, ['enterprise_rep', 'enterprise_party_org']), 'deadline_reminder', '定诺即将截止', `双向承诺的定诺${dueWhen(settings.submissionDeadline, now, '截止')}，请在截止前提交并通过审核。`);
      } else {
        const item = (await approvedItems(em, set)).find((i) => i.key === input.itemKey);
        const role = item?.side === 'party' ? 'enterprise_party_org' : 'enterprise_rep';
        const when = item?.deadline ? dueWhen(item.deadline, now, '到期') : `将于${input.daysBefore}天后到期`;
        await tell(em, await accountsOver(em, set, [role]), 'deadline_reminder', '承诺事项即将到期', `“${item?.title ?? input.itemKey}”${when}，请上传佐证材料并填报完成情况。`);
        await em.nativeUpdate(CommitmentItemProgress, { set: set.id, itemKey: input.itemKey! }, { remindedAt: clock.now() });
      }
      await em.flush();
    },

    /** Tells the supervising units (street committee, department) what is overdue. */
    async escalate(input: { setId: string; subject: 'submission' | 'item' | 'evaluation'; itemKey: string | null; reviewPending: boolean }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        const org = set.organization.getEntity();
        const supervisors = await accountsOver(tx, set, ['street_committee', 'org_department']);
        let body: string;
        if (input.subject === 'submission') {
          body = input.reviewPending ? `${org.name} 的双向承诺已提交但逾期未审核。` : `${org.name} 逾期未完成定诺。`;
          if (!set.escalatedAt) set.escalatedAt = clock.now();
        } else if (input.subject === 'item') {
          const item = (await approvedItems(tx, set)).find((i) => i.key === input.itemKey);
          body = `${org.name} 的承诺事项“${item?.title ?? input.itemKey}”已逾期未填报完成情况。`;
          await tx.nativeUpdate(CommitmentItemProgress, { set: set.id, itemKey: input.itemKey!, escalatedAt: null }, { escalatedAt: clock.now() });
        } else {
          body = `${org.name} 的评诺逾期未签字。`;
        }
        await tell(tx, supervisors, 'escalation', '双向承诺逾期督办', body);
        await tx.flush();
        await recordAudit(tx, { actor: SYSTEM_ACTOR, action: `commitment_set.escalate_${input.subject}`, entityType: 'commitment_set', entityId: set.id, after: { itemKey: input.itemKey } });
      });
    },

    /**
     * 评诺 opens: a staff survey link (职工满意度) and notices to both sides and the evaluator. A
     * resident unit (四双) gets no survey: it is evaluated by the street or community's 写实评价 of
     * its participation and fulfilment, which its own Party organization is told to expect.
     */
    async openEvaluation(input: { setId: string }): Promise<void> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      if (variantForKind(set.organization.getEntity().kind) === 'resident_unit') {
        await tell(em, await accountsOver(em, set, ['enterprise_rep', 'enterprise_party_org', 'community_committee', 'street_committee']), 'evaluation_open', '“四双”评价开始', `${org(set)} 的“四双”进入双向评价：请街道（社区）党组织撰写写实评价。`);
        await em.flush();
        return;
      }
      const token = await derivedLinkToken(em, STAFF_SURVEY, set.id);
      await em.execute(
        'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?) on conflict (token_hash) do nothing',
        [hashSecret(token), STAFF_SURVEY, 'commitment_set', set.id, new Date(Date.UTC(set.year + 1, 2, 31)), clock.now()],
      );
      await tell(em, await accountsOver(em, set, ['enterprise_rep', 'enterprise_party_org', 'evaluator']), 'evaluation_open', '评诺开始', `${org(set)} 的双向承诺进入评诺：请双方自评，评审人评分。`);
      await em.flush();
    },


    /**
     * 备案: the weighted total and grade, filed on the set and in the audit log; returns the
     * record (评诺备案表) to render unless one is already filed.
     */
    async fileEvaluationRecord(input: { setId: string; weights: EvaluationWeights }): Promise<{ totalScore: number; grade: string; recordSha256: string | null; record: CommitmentReportRequest | null }> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      const items = await approvedItems(em, set);
      const progress = new Map((await em.find(CommitmentItemProgress, { set: set.id })).map((p) => [p.itemKey, p]));
      const ratings = (await em.find(CommitmentFeedback, { set: set.id, kind: 'satisfaction' })).filter((f) => f.rating != null).map((f) => Number(f.rating));
      const selfScores = Object.fromEntries(Object.entries(set.selfEvaluations).map(([side, e]) => [side, e!.score]));
      const scored = items.map((i) => ({ item: i, score: Number(progress.get(i.key)?.score ?? 0), p: progress.get(i.key) }));
      // Filed once: a retry (or a re-render after a failed PDF) reports what was filed.
      const result = set.filedAt && set.evaluation
        ? (set.evaluation as ReturnType<typeof scoreEvaluation>)
        : scoreEvaluation({ selfScores, staffRatings: ratings, itemScores: scored.map((s) => s.score), weights: input.weights });
      await em.transactional(async (tx) => {
        const fresh = await tx.findOneOrFail(CommitmentSet, { id: set.id });
        if (fresh.filedAt) return;
        Object.assign(fresh, { totalScore: result.total, grade: result.grade, evaluation: result, filedAt: clock.now() });
        await tx.flush();
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: 'commitment_set.file_record',
          entityType: 'commitment_set',
          entityId: set.id,
          after: { totalScore: result.total, grade: result.grade, components: result.components },
        });
      });
      if (set.recordSha256) return { totalScore: result.total, grade: result.grade, recordSha256: set.recordSha256, record: null };
      return { totalScore: result.total, grade: result.grade, recordSha256: null, record: await evaluationRecordRequest(em, set, result, `workflow:${set.workflowId}`) };
    },

    /**
     * 四双 备案: files the countersigned 写实评价 and sends it to the unit's superior Party
     * organization (a notification to the department and an audit entry naming the recipient);
     * returns the PDF to render unless one is already filed.
     */
    async fileFactualEvaluation(input: { setId: string }): Promise<{ recordSha256: string | null; record: CommitmentReportRequest | null }> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      const record = set.evaluation as FactualEvaluationRecord | null;
      if (!record || record.variant !== 'resident_unit') throw new Error(`set ${set.id} has no factual evaluation to file`);
      const organization = set.organization.getEntity();
      const superior = record.superior;
      await em.transactional(async (tx) => {
        const fresh = await tx.findOneOrFail(CommitmentSet, { id: set.id });
        if (fresh.filedAt) return;
        const sentAt = clock.now();
        fresh.filedAt = sentAt;
        fresh.evaluation = { ...record, sentAt: sentAt.toISOString() };
        const body = superior
          ? `${organization.name} ${set.year}年度“四双”写实评价已会签，已送达上级党组织：${superior.name}${superior.contact ? `（${superior.contact}）` : ''}。`
          : `${organization.name} ${set.year}年度“四双”写实评价已会签，但未登记上级党组织，请补充后送达。`;
        await tell(tx, await accountsOver(tx, set, ['org_department']), 'factual_evaluation_sent', '“四双”写实评价报送', body);
        await tx.flush();
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: 'commitment_set.factual_evaluation_sent',
          entityType: 'commitment_set',
          entityId: set.id,
          after: { superior, delivered: superior !== null, text: record.text },
        });
      });
      if (set.recordSha256) return { recordSha256: set.recordSha256, record: null };
      return { recordSha256: null, record: await factualEvaluationRequest(em, set, record, `workflow:${set.workflowId}`) };
    },

    /**
     * The request to render one of the set's reports again (renderReportWorkflow), from the
     * records as filed; null while the cycle has not reached the point where it exists (not
     * published, not filed) or when the report does not belong to the set's variant.
     */
    async prepareCommitmentReport(input: { setId: string; type: CommitmentReportType; createdBy: string; requestKey: string }): Promise<CommitmentReportRequest | null> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      if (commitmentReportDue(set, input.type) !== null) return null;
      let request: CommitmentReportRequest;
      if (input.type === 'commitment-notice') {
        request = await noticeRequest(em, set, set.approvedVersion!, set.publishedFrom!.toISOString(), set.publishedTo!.toISOString(), input.createdBy);
      } else if (input.type === 'factual-evaluation') {
        request = await factualEvaluationRequest(em, set, set.evaluation as FactualEvaluationRecord, input.createdBy);
      } else {
        request = await evaluationRecordRequest(em, set, set.evaluation as ReturnType<typeof scoreEvaluation>, input.createdBy);
      }
      return { ...request, requestKey: input.requestKey };
    },

    /** Files a rendered PDF on the set; its SHA-256 goes to the audit log. */
    async recordReport(input: { setId: string; type: CommitmentReportType; report: Pick<RenderedReport, 'sha256' | 'reportFileId' | 'version'> }): Promise<void> {
      const em = fork();
      const column = input.type === 'commitment-notice' ? 'noticeSha256' : 'recordSha256';
      const version = { reportFileId: input.report.reportFileId, version: input.report.version };
      await em.transactional(async (tx) => {
        const set = await tx.findOneOrFail(CommitmentSet, { id: input.setId });
        if (set[column]) return;
        set[column] = input.report.sha256;
        await tx.flush();
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: 'commitment_set.report_filed',
          entityType: 'commitment_set',
          entityId: set.id,
          after: { report: input.type, sha256: input.report.sha256, documentNumber: await documentNumberOf(tx, input.type, `commitment_set/${set.id}`), ...version },
        });
      });
    },

    /**
     * A PDF could not be made (bad data, renderer down past the retry window): the cycle goes
     * on without it, the audit log says why, and the department is told, so someone can fix
     * the data or the renderer and re-render.
     */
    async recordReportFailure(input: { setId: string; type: CommitmentReportType; reason: string }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        const already = await tx.execute<{ n: string }[]>(
          "select count(*) n from audit_entry where entity_type = 'commitment_set' and entity_id = ? and action = 'commitment_set.report_failed' and after->>'report' = ? and after->>'renderKey' is null",
          [set.id, input.type],
        );
        if (Number(already[0]?.n ?? 0) > 0) return;
        const title = input.type === 'commitment-notice' ? '承诺公示' : input.type === 'factual-evaluation' ? '“四双”写实评价' : '评诺备案表';
        await tell(tx, await accountsOver(tx, set, ['org_department']), 'report_failed', `${title}生成失败`, `${org(set)} 的${title}未能生成：${input.reason.slice(0, 500)}`);
        await tx.flush();
        await recordAudit(tx, { actor: SYSTEM_ACTOR, action: 'commitment_set.report_failed', entityType: 'commitment_set', entityId: set.id, after: { report: input.type, reason: input.reason.slice(0, 1000) } });
      });
    },
  };
}

export type DualCommitmentActivities = ReturnType<typeof createDualCommitmentActivities>;
