// The report requests of the dual commitments cycle: the data the shared renderer prints on
// the 承诺公示, the 评诺备案表 and the 四双 写实评价, built from the records alone, so the cycle
// and a later re-render (renderReportWorkflow) print the same document.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RenderReportInput, ReportActivities } from './reports.ts';
import type { CommitmentReportType, FactualEvaluationRecord } from '../domain/dual-commitment/contracts.ts';
import { variantForKind, type CommitmentDraft, type FulfilmentStatus, type scoreEvaluation } from '../domain/dual-commitment/rules.ts';
import { defaultDualCommitmentCatalog } from '../domain/catalogs/dual-commitment.ts';
import { defaultResidentUnitCatalog } from '../domain/catalogs/resident-unit.ts';
import type { DualCommitmentCatalog } from '../domain/catalogs/schemas.ts';
import { Account } from '../domain/entities/account.ts';
import { CommitmentItemProgress, CommitmentSetVersion, type CommitmentSet } from '../domain/entities/commitment.ts';
import type { Clock } from '../domain/clock.ts';
import { shanghaiDate } from '../domain/time.ts';

/**
 * What the workflow hands to the shared report pipeline's `renderReport` (activities/reports.ts,
 * on the reports task queue): the data is checked against the type's contract there.
 */
export type ReportRequest = RenderReportInput & { type: CommitmentReportType };

/** The one activity of the report pipeline the workflow calls. */
export type ReportRenderingActivities = Pick<ReportActivities, 'renderReport'>;

const STATUS_NAMES: Record<FulfilmentStatus, string> = { fulfilled: '已兑现', partly: '部分兑现', not_fulfilled: '未兑现' };
const AREA_OF = (catalog: DualCommitmentCatalog) => {
  const map = new Map<string, string>();
  for (const side of [catalog.partySide, catalog.enterpriseSide]) for (const area of side.areas) for (const item of area.items) map.set(item.code, area.name);
  return map;
};

const SIDE_NAMES = { party: '党组织', enterprise: '企业' } as const;
const RESIDENT_SIDE_NAMES = { party: '街道（社区）党组织', enterprise: '驻区单位' } as const;

/** The items of the set's approved version (none before approval). */
export async function approvedItems(em: EntityManager, set: CommitmentSet): Promise<CommitmentDraft[]> {
  if (!set.approvedVersion) return [];
  const version = await em.findOneOrFail(CommitmentSetVersion, { set: set.id, version: set.approvedVersion });
  return version.items;
}

// The version the set's cycle started with; the shipped default only for a cycle without one.
const catalogOf = (set: CommitmentSet) =>
  (set.cycle.getEntity().catalogVersion?.getEntity().content as DualCommitmentCatalog | undefined) ??
  (variantForKind(set.organization.getEntity().kind) === 'resident_unit' ? defaultResidentUnitCatalog : defaultDualCommitmentCatalog);

/** The builders of the three requests; `issuingUnit` is the 发文机关 printed on the PDFs. */
export function commitmentReportRequests(issuingUnit: string, clock: Clock) {
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
      filedOn: shanghaiDate(set.countersignedAt ?? clock.now()),
      signatures: [
        { role: '评审人', signer: evaluator?.displayName ?? '—', date: shanghaiDate(set.evaluatorSignedAt ?? clock.now()), decision: `评定为${result.grade}。` },
        { role: '组织部', signer: department?.displayName ?? '—', date: shanghaiDate(set.countersignedAt ?? clock.now()), decision: '同意备案。' },
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
        { role: '组织部', signer: department?.displayName ?? '—', date: shanghaiDate(set.countersignedAt ?? clock.now()), decision: '同意，报送上级党组织。' },
      ],
    };
    return { type: 'factual-evaluation', data, meta: { issuingUnit, documentNumber }, subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  return { noticeRequest, evaluationRecordRequest, factualEvaluationRequest };
}
