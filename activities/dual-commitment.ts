// Activities of the dual commitments workflow. Each forks its own EntityManager and writes
// idempotently (state-keyed updates, get-or-create links), so a retried activity changes
// nothing twice. PDFs are not made here: these activities build the report data from the
// database, the workflow has it rendered and stored by the shared report pipeline on the
// reports task queue (`renderReport`), then `recordReport` files the PDF's SHA-256 on the set
// and in the audit log.
import { createHmac, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { RenderReportInput, RenderReportResult, ReportActivities } from './reports.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { hashSecret } from '../domain/auth/secrets.ts';
import { ACCESS_LINK_PREFIX } from '../domain/auth/access-links.ts';
import type { Actor, Gate } from '../domain/rules/dual-commitment-state.ts';
import { resolveSettings, scoreEvaluation, shanghaiDate, variantForKind, type CommitmentDraft, type EvaluationWeights, type FulfilmentStatus } from '../domain/rules/dual-commitment.ts';
import { dueWhen } from '../domain/rules/due-days.ts';
import { defaultDualCommitmentCatalog } from '../domain/catalogs/dual-commitment.ts';
import { defaultResidentUnitCatalog } from '../domain/catalogs/resident-unit.ts';
import type { DualCommitmentCatalog } from '../domain/catalogs/schemas.ts';
import { notify } from '../domain/notifications/notify.ts';
import { Account } from '../domain/entities/account.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../domain/entities/evaluator-assignment.ts';
import { SystemSetting } from '../domain/entities/system-setting.ts';
import { CommitmentFeedback, CommitmentItemProgress, CommitmentSet, CommitmentSetVersion } from '../domain/entities/commitment.ts';

export type CommitmentReportType = 'commitment-notice' | 'evaluation-record' | 'factual-evaluation';

/** 四双: the unit's superior Party organization, where the 写实评价 is sent. */
export interface SuperiorOrganization {
  name: string;
  contact: string | null;
}

/** What the set's `evaluation` column holds in the 四双 variant. */
export interface FactualEvaluationRecord {
  variant: 'resident_unit';
  text: string;
  itemStatuses: { itemKey: string; status: FulfilmentStatus }[];
  by: string;
  byLogin: string;
  at: string;
  superior: SuperiorOrganization | null;
  sentAt?: string;
}

/**
 * The superior Party organization of a resident unit: the one named with the 写实评价, else a
 * responsible person of the unit whose role names it (role 上级党组织, name, phone).
 */
export function superiorOf(responsiblePeople: { role: string; name: string; phone?: string }[], given: SuperiorOrganization | null | undefined): SuperiorOrganization | null {
  if (given?.name?.trim()) return { name: given.name.trim(), contact: given.contact?.trim() || null };
  const entry = responsiblePeople.find((p) => p.role.includes('上级党组织') || p.role.includes('上级主管'));
  return entry ? { name: entry.name, contact: entry.phone ?? null } : null;
}

const STATUS_NAMES: Record<FulfilmentStatus, string> = { fulfilled: '已兑现', partly: '部分兑现', not_fulfilled: '未兑现' };

/**
 * What the workflow hands to the shared report pipeline's `renderReport` (activities/reports.ts,
 * on the reports task queue): the data is checked against the type's contract there.
 */
export type ReportRequest = RenderReportInput & { type: CommitmentReportType };

/** The one activity of the report pipeline the workflow calls. */
export type ReportRenderingActivities = Pick<ReportActivities, 'renderReport'>;


export interface DualCommitmentActivityDeps {
  orm: MikroORM;
  /** 发文机关 printed on the PDFs. */
  issuingUnit?: string;
}

export const PUBLIC_COMMITMENTS = 'public_commitments';
export const STAFF_SURVEY = 'staff_survey';
const LINK_SECRET_KEY = 'dual_commitment.link_secret';

/**
 * The unguessable link token of a set's public page or survey. Derived (HMAC) from a secret
 * kept in system_setting, so a retried activity and the API compute the same token while
 * the database keeps only its hash, as for every access link.
 */
export async function commitmentLinkToken(em: EntityManager, purpose: string, setId: string): Promise<string> {
  await em.execute('insert into system_setting (key, value, updated_at) values (?, ?, now()) on conflict (key) do nothing', [
    LINK_SECRET_KEY,
    JSON.stringify(randomBytes(48).toString('base64url')),
  ]);
  const secret = (await em.findOneOrFail(SystemSetting, { key: LINK_SECRET_KEY })).value as string;
  return `${ACCESS_LINK_PREFIX}${createHmac('sha256', secret).update(`${purpose}:${setId}`).digest('base64url')}`;
}

const AREA_OF = (catalog: DualCommitmentCatalog) => {
  const map = new Map<string, string>();
  for (const side of [catalog.partySide, catalog.enterpriseSide]) for (const area of side.areas) for (const item of area.items) map.set(item.code, area.name);
  return map;
};

const SIDE_NAMES = { party: '党组织', enterprise: '企业' } as const;
const RESIDENT_SIDE_NAMES = { party: '街道（社区）党组织', enterprise: '驻区单位' } as const;

export function createDualCommitmentActivities(deps: DualCommitmentActivityDeps) {
  const fork = () => deps.orm.em.fork() as EntityManager;
  const issuingUnit = deps.issuingUnit ?? '中共区委组织部';

  const loadSet = (em: EntityManager, setId: string) =>
    em.findOneOrFail(CommitmentSet, { id: setId }, { populate: ['organization', 'organization.unit', 'cycle', 'cycle.catalogVersion'] });

  /** Accounts holding `roles` over the organization: its own roles, or unit roles on an ancestor unit. */
  async function accountsOver(em: EntityManager, set: CommitmentSet, roles: string[]): Promise<string[]> {
    const org = set.organization.getEntity();
    const unitPath = org.unit.getEntity().path;
    const grants = await em.find(RoleAssignment, { role: { $in: roles as never } }, { populate: ['unit'] });
    const ids = grants
      .filter((g) => (g.organization ? g.organization.id === org.id : g.unit ? unitPath.startsWith(g.unit.getEntity().path) : false))
      .map((g) => g.account.id);
    if (roles.includes('evaluator')) {
      const assigned = await em.find(EvaluatorAssignment, { subjectType: 'organization', subjectId: org.id });
      ids.push(...assigned.map((a) => a.account.id));
    }
    return [...new Set(ids)].sort();
  }

  async function tell(em: EntityManager, recipients: string[], kind: string, title: string, body: string) {
    for (const recipientAccountId of recipients) notify(em, { recipientAccountId, kind, title, body, link: null });
  }

  async function approvedItems(em: EntityManager, set: CommitmentSet): Promise<CommitmentDraft[]> {
    if (!set.approvedVersion) return [];
    const version = await em.findOneOrFail(CommitmentSetVersion, { set: set.id, version: set.approvedVersion });
    return version.items;
  }

  // The version the set's cycle started with; the shipped default only for a cycle without one.
  const catalogOf = (set: CommitmentSet) =>
    (set.cycle.getEntity().catalogVersion?.getEntity().content as DualCommitmentCatalog | undefined) ??
    (variantForKind(set.organization.getEntity().kind) === 'resident_unit' ? defaultResidentUnitCatalog : defaultDualCommitmentCatalog);

  // The report requests (data for the shared renderer), built from the records alone, so the
  // cycle and a later re-render (renderReportWorkflow) print the same document.
  async function noticeRequest(em: EntityManager, set: CommitmentSet, approvedVersion: number, fromIso: string, toIso: string, createdBy: string): Promise<ReportRequest> {
    const org = set.organization.getEntity();
    const version = await em.findOneOrFail(CommitmentSetVersion, { set: set.id, version: approvedVersion });
    const areas = AREA_OF(catalogOf(set));
    const group = (side: 'party' | 'enterprise') => {
      const byArea = new Map<string, { content: string; target: string; deadline: string }[]>();
      for (const item of version.items.filter((i) => i.side === side)) {
        const area = (item.catalogItemCode && areas.get(item.catalogItemCode)) || '自定承诺';
        byArea.set(area, [...(byArea.get(area) ?? []), { content: `${item.title}：${item.content}`, target: `${item.target}（${item.indicator}）`, deadline: item.deadline }]);
      }
      return [...byArea].map(([area, list]) => ({ area, items: list }));
    };
    const contact = org.responsiblePeople[0];
    const from = shanghaiDate(new Date(fromIso));
    const data = {
      year: set.year,
      organization: { name: org.name, partyOrganization: org.partyOrgName ?? `${org.name}党组织`, address: org.address ?? null },
      publication: { from, to: shanghaiDate(new Date(toIso)) },
      partyCommitments: group('party'),
      enterpriseCommitments: group('enterprise'),
      supervision: { phone: contact?.phone ?? '—', contact: contact?.name ?? '—' },
      signatures: [
        { role: '企业党组织', signer: org.partyOrgName ?? `${org.name}党组织`, date: from, decision: null },
        { role: '企业', signer: org.name, date: from, decision: null },
      ],
    };
    return { type: 'commitment-notice', data, meta: { issuingUnit }, subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  async function evaluationRecordRequest(em: EntityManager, set: CommitmentSet, result: ReturnType<typeof scoreEvaluation>, createdBy: string): Promise<ReportRequest> {
    const items = await approvedItems(em, set);
    const progress = new Map((await em.find(CommitmentItemProgress, { set: set.id })).map((p) => [p.itemKey, p]));
    const scored = items.map((i) => ({ item: i, score: Number(progress.get(i.key)?.score ?? 0), p: progress.get(i.key) }));
    const org = set.organization.getEntity();
    const evaluator = set.evaluatorSignedBy ? await em.findOneOrFail(Account, { id: set.evaluatorSignedBy.id }) : null;
    const department = set.countersignedBy ? await em.findOneOrFail(Account, { id: set.countersignedBy.id }) : null;
    const fulfilled = (side: 'party' | 'enterprise') => scored.filter((s) => s.item.side === side && s.p?.status === 'fulfilled').length;
    const methods = { self: '党组织和企业自评', staff: '职工评议', organization: '上级党组织评价' } as const;
    const secretary = org.responsiblePeople.find((p) => p.role.includes('书记')) ?? org.responsiblePeople[0];
    const recordNumber = `双诺备〔${set.year}〕${set.id.slice(0, 8)}`;
    const data = {
      year: set.year,
      recordNumber,
      organization: {
        name: org.name,
        partyOrganization: org.partyOrgName ?? `${org.name}党组织`,
        partySecretary: secretary?.name ?? '—',
        contactPhone: secretary?.phone ?? '—',
        staffCount: 0,
        partyMemberCount: 0,
      },
      commitments: {
        partyTotal: items.filter((i) => i.side === 'party').length,
        partyFulfilled: fulfilled('party'),
        enterpriseTotal: items.filter((i) => i.side === 'enterprise').length,
        enterpriseFulfilled: fulfilled('enterprise'),
      },
      evaluations: result.components.map((c) => ({ method: methods[c.method], weightPercent: c.weightPercent, score: c.score ?? 0 })),
      scoreItems: scored.map((s) => ({ item: `[${SIDE_NAMES[s.item.side]}] ${s.item.title}`, maxScore: 100, score: s.score, remark: s.p?.scoreRemark || null })),
      totalScore: result.total,
      grade: result.grade,
      summary: `双方共作出承诺${items.length}项，已兑现${fulfilled('party') + fulfilled('enterprise')}项；加权总分${result.total}分，评定为${result.grade}。`,
      filedOn: shanghaiDate(set.countersignedAt ?? new Date()),
      signatures: [
        { role: '评审人', signer: evaluator?.displayName ?? '—', date: shanghaiDate(set.evaluatorSignedAt ?? new Date()), decision: `评定为${result.grade}。` },
        { role: '组织部', signer: department?.displayName ?? '—', date: shanghaiDate(set.countersignedAt ?? new Date()), decision: '同意备案。' },
      ],
    };
    return { type: 'evaluation-record', data, meta: { issuingUnit, documentNumber: recordNumber }, subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  async function factualEvaluationRequest(em: EntityManager, set: CommitmentSet, record: FactualEvaluationRecord, createdBy: string): Promise<ReportRequest> {
    const organization = set.organization.getEntity();
    const superior = record.superior;
    const items = await approvedItems(em, set);
    const progress = new Map((await em.find(CommitmentItemProgress, { set: set.id })).map((p) => [p.itemKey, p]));
    const judged = new Map(record.itemStatuses.map((s) => [s.itemKey, s.status]));
    const statusOf = (key: string): FulfilmentStatus | null => judged.get(key) ?? (progress.get(key)?.status as FulfilmentStatus | null | undefined) ?? null;
    const count = (status: FulfilmentStatus) => items.filter((i) => statusOf(i.key) === status).length;
    const writer = await em.findOne(Account, { id: record.by });
    const department = set.countersignedBy ? await em.findOneOrFail(Account, { id: set.countersignedBy.id }) : null;
    const unit = organization.unit.getEntity();
    const documentNumber = `四双评〔${set.year}〕${set.id.slice(0, 8)}`;
    const writtenOn = shanghaiDate(new Date(record.at));
    const data = {
      year: set.year,
      documentNumber,
      unit: { name: organization.name, partyOrganization: organization.partyOrgName ?? `${organization.name}党组织`, address: organization.address ?? null },
      evaluatingOrganization: unit.partyOrgName || unit.name,
      superior: { name: superior?.name ?? '（未登记）', contact: superior?.contact ?? null },
      commitments: items.map((i) => ({ side: RESIDENT_SIDE_NAMES[i.side], title: i.title, deadline: i.deadline, status: (statusOf(i.key) && STATUS_NAMES[statusOf(i.key)!]) || '未填报' })),
      counts: { total: items.length, fulfilled: count('fulfilled'), partly: count('partly'), notFulfilled: count('not_fulfilled') },
      evaluation: record.text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0),
      writtenOn,
      signatures: [
        { role: unit.partyOrgName || '街道（社区）党组织', signer: writer?.displayName ?? record.byLogin, date: writtenOn, decision: '情况属实。' },
        { role: '组织部', signer: department?.displayName ?? '—', date: shanghaiDate(set.countersignedAt ?? new Date()), decision: '同意，报送上级党组织。' },
      ],
    };
    return { type: 'factual-evaluation', data, meta: { issuingUnit, documentNumber }, subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  return {
    async recordGate(input: { setId: string; gate: Gate }): Promise<void> {
      const em = fork();
      await em.nativeUpdate(CommitmentSet, { id: input.setId, gate: { $ne: input.gate } }, { gate: input.gate, gateEnteredAt: new Date() });
    },

    async recordSetSubmitted(input: { setId: string; version: number; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        const version = await tx.findOneOrFail(CommitmentSetVersion, { set: set.id, version: input.version });
        if (version.status === 'submitted') return;
        version.status = 'submitted';
        version.submittedBy = tx.getReference(Account, input.actor.accountId) as never;
        version.submittedAt = new Date();
        set.status = 'submitted';
        await tell(tx, await accountsOver(tx, set, ['community_committee', 'street_committee', 'evaluator']), 'commitment_submitted', `${set.organization.getEntity().name} 提交双向承诺待审核`, `第${input.version}版承诺已提交，请审核。`);
        await tx.flush();
        await recordAudit(tx, { actor: { accountId: input.actor.accountId, label: input.actor.login }, action: 'commitment_set.submit', entityType: 'commitment_set', entityId: set.id, after: { version: input.version } });
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
        version.reviewedAt = new Date();
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
        await tell(tx, await accountsOver(tx, set, ['enterprise_rep', 'enterprise_party_org']), `commitment_${input.decision === 'approve' ? 'approved' : 'returned'}`, title, input.comments || title);
        await tx.flush();
        await recordAudit(tx, { actor: { accountId: input.actor.accountId, label: input.actor.login }, action: `commitment_set.${input.decision}`, entityType: 'commitment_set', entityId: set.id, after: { version: input.version, comments: input.comments } });
      });
    },

    /**
     * 亮诺: the public page's link (valid through the year) and the window; returns the notice
     * (承诺公示) to render unless one is already filed.
     */
    async publishCommitments(input: { setId: string; version: number; from: string; to: string }): Promise<{ notice: ReportRequest | null }> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      const token = await commitmentLinkToken(em, PUBLIC_COMMITMENTS, set.id);
      const expiresAt = new Date(Date.UTC(set.year + 1, 2, 31));
      await em.execute(
        'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, now()) on conflict (token_hash) do nothing',
        [hashSecret(token), PUBLIC_COMMITMENTS, 'commitment_set', set.id, expiresAt],
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
      await em.nativeUpdate(CommitmentSet, { id: input.setId, publicationClosedAt: null }, { publicationClosedAt: new Date() });
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
      const now = input.now ?? Date.now();
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
        await em.nativeUpdate(CommitmentItemProgress, { set: set.id, itemKey: input.itemKey! }, { remindedAt: new Date() });
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
          if (!set.escalatedAt) set.escalatedAt = new Date();
        } else if (input.subject === 'item') {
          const item = (await approvedItems(tx, set)).find((i) => i.key === input.itemKey);
          body = `${org.name} 的承诺事项“${item?.title ?? input.itemKey}”已逾期未填报完成情况。`;
          await tx.nativeUpdate(CommitmentItemProgress, { set: set.id, itemKey: input.itemKey!, escalatedAt: null }, { escalatedAt: new Date() });
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
      const token = await commitmentLinkToken(em, STAFF_SURVEY, set.id);
      await em.execute(
        'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, now()) on conflict (token_hash) do nothing',
        [hashSecret(token), STAFF_SURVEY, 'commitment_set', set.id, new Date(Date.UTC(set.year + 1, 2, 31))],
      );
      await tell(em, await accountsOver(em, set, ['enterprise_rep', 'enterprise_party_org', 'evaluator']), 'evaluation_open', '评诺开始', `${org(set)} 的双向承诺进入评诺：请双方自评，评审人评分。`);
      await em.flush();
    },

    async recordSignOff(input: { setId: string; step: 'evaluator' | 'department'; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await tx.findOneOrFail(CommitmentSet, { id: input.setId });
        const by = tx.getReference(Account, input.actor.accountId) as never;
        if (input.step === 'evaluator') {
          if (set.evaluatorSignedAt) return;
          set.evaluatorSignedBy = by;
          set.evaluatorSignedAt = new Date();
        } else {
          if (set.countersignedAt) return;
          set.countersignedBy = by;
          set.countersignedAt = new Date();
        }
        await tx.flush();
        await recordAudit(tx, { actor: { accountId: input.actor.accountId, label: input.actor.login }, action: `commitment_set.sign_off_${input.step}`, entityType: 'commitment_set', entityId: set.id });
      });
    },

    /**
     * 备案: the weighted total and grade, filed on the set and in the audit log; returns the
     * record (评诺备案表) to render unless one is already filed.
     */
    async fileEvaluationRecord(input: { setId: string; weights: EvaluationWeights }): Promise<{ totalScore: number; grade: string; recordSha256: string | null; record: ReportRequest | null }> {
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
        Object.assign(fresh, { totalScore: result.total, grade: result.grade, evaluation: result, filedAt: new Date() });
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
     * 四双: the street or community writes the 写实评价 (text, its view of each item's status,
     * the superior Party organization to send it to); it also signs as the evaluator. Once.
     */
    async recordFactualEvaluation(input: { setId: string; text: string; itemStatuses: { itemKey: string; status: FulfilmentStatus }[]; superior?: SuperiorOrganization | null; actor: Actor }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const set = await loadSet(tx, input.setId);
        if (set.evaluatorSignedAt) return;
        const at = new Date();
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
        await recordAudit(tx, { actor: { accountId: input.actor.accountId, label: input.actor.login }, action: 'commitment_set.factual_evaluation', entityType: 'commitment_set', entityId: set.id, after: { length: record.text.length, itemStatuses: record.itemStatuses, superior: record.superior } });
      });
    },

    /**
     * 四双 备案: files the countersigned 写实评价 and sends it to the unit's superior Party
     * organization (a notification to the department and an audit entry naming the recipient);
     * returns the PDF to render unless one is already filed.
     */
    async fileFactualEvaluation(input: { setId: string }): Promise<{ recordSha256: string | null; record: ReportRequest | null }> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      const record = set.evaluation as FactualEvaluationRecord | null;
      if (!record || record.variant !== 'resident_unit') throw new Error(`set ${set.id} has no factual evaluation to file`);
      const organization = set.organization.getEntity();
      const superior = record.superior;
      await em.transactional(async (tx) => {
        const fresh = await tx.findOneOrFail(CommitmentSet, { id: set.id });
        if (fresh.filedAt) return;
        const sentAt = new Date();
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
    async prepareCommitmentReport(input: { setId: string; type: CommitmentReportType; createdBy: string; requestKey: string }): Promise<ReportRequest | null> {
      const em = fork();
      const set = await loadSet(em, input.setId);
      if (commitmentReportDue(set, input.type) !== null) return null;
      let request: ReportRequest;
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
    async recordReport(input: { setId: string; type: CommitmentReportType; report: Pick<RenderReportResult, 'sha256' | 'reportFileId' | 'version'> }): Promise<void> {
      const em = fork();
      const column = input.type === 'commitment-notice' ? 'noticeSha256' : 'recordSha256';
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
          after: { report: input.type, sha256: input.report.sha256, reportFileId: input.report.reportFileId, version: input.report.version },
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
          "select count(*) n from audit_entry where action = 'commitment_set.report_failed' and entity_id = ? and after->>'report' = ? and after->>'renderKey' is null",
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

const org = (set: CommitmentSet) => set.organization.getEntity().name;

/**
 * Whether the cycle has reached the point where a report of the set exists: null when it has,
 * else why not ('not_applicable' for a report of the other variant).
 */
export function commitmentReportDue(
  set: Pick<CommitmentSet, 'publishedFrom' | 'publishedTo' | 'approvedVersion' | 'filedAt' | 'evaluation'> & { organization: { getEntity(): { kind: string } } },
  type: CommitmentReportType,
): { code: 'not_applicable' | 'not_ready'; message: string } | null {
  const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
  if (type === 'commitment-notice') {
    return set.publishedFrom && set.publishedTo && set.approvedVersion ? null : { code: 'not_ready', message: 'the commitments have not been published yet (亮诺): there is no notice to render' };
  }
  if ((type === 'factual-evaluation') !== residentUnit) {
    return { code: 'not_applicable', message: residentUnit ? 'a resident unit (四双) has a factual evaluation (写实评价), not an evaluation record' : 'only a resident unit (四双) has a factual evaluation (写实评价)' };
  }
  return set.filedAt && set.evaluation ? null : { code: 'not_ready', message: 'the evaluation has not been countersigned and filed (备案) yet: there is no record to render' };
}

export type DualCommitmentActivities = ReturnType<typeof createDualCommitmentActivities>;
