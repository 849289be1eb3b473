// The report requests of the dual commitments cycle: the data the shared renderer prints on
// the 承诺公示, the 评诺备案表 and the 四双 写实评价, built from the records alone, so the cycle
// and a later re-render (renderReportWorkflow) print the same document.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReportActivities } from './reports.ts';
import type { ReportRequest } from '../domain/reports/contracts.ts';
import type { CommitmentReportType, FactualEvaluationRecord } from '../domain/dual-commitment/contracts.ts';
import { variantForKind, type CommitmentDraft, type FulfilmentStatus, type scoreEvaluation } from '../domain/dual-commitment/rules.ts';
import { defaultDualCommitmentCatalog } from '../domain/catalogs/dual-commitment.ts';
import { defaultResidentUnitCatalog } from '../domain/catalogs/resident-unit.ts';
import type { DualCommitmentCatalog } from '../domain/catalogs/schemas.ts';
import { Account } from '../domain/entities/account.ts';
import { CommitmentItemProgress, CommitmentSetVersion, type CommitmentSet } from '../domain/entities/commitment.ts';
import type { Clock } from '../domain/clock.ts';
import { shanghaiDate } from '../domain/time.ts';
import { derivedLinkToken } from '../domain/auth/access-links.ts';
import { PUBLIC_COMMITMENTS } from '../domain/dual-commitment/contracts.ts';
import { allocateDocumentNumber, requireDepartmentIssuer, streetOf, type DepartmentIssuer } from '../domain/documents/issuer.ts';
import { organizationLabel, partySecretaryOf } from '../domain/documents/wording.ts';

/**
 * What the workflow hands to the shared report pipeline's `renderReport` (activities/reports.ts,
 * on the reports task queue): the data is checked against the type's contract there.
 */
export type CommitmentReportRequest = ReportRequest & { type: CommitmentReportType };

/** The one activity of the report pipeline the workflow calls. */
export type ReportRenderingActivities = Pick<ReportActivities, 'renderReport'>;

const STATUS_NAMES: Record<FulfilmentStatus, string> = { fulfilled: '已兑现', partly: '部分兑现', not_fulfilled: '未兑现' };
const AREA_OF = (catalog: DualCommitmentCatalog) => {
  const map = new Map<string, string>();
  for (const side of [catalog.partySide, catalog.enterpriseSide]) for (const area of side.areas) for (const item of area.items) map.set(item.code, area.name);
  return map;
};

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

/** The department that files, numbers and countersigns the set's records (domain/documents/issuer.ts). */
const departmentOf = (em: EntityManager, set: CommitmentSet) => requireDepartmentIssuer(em, set.organization.getEntity().unit.id);

const meta = (issuer: DepartmentIssuer, documentNumber: string) => ({ issuingUnit: issuer.name, sealCaption: issuer.sealCaption, documentNumber });

/**
 * The builders of the three requests. Who issues each and under which number is the rule of
 * domain/documents/issuer.ts; `publicBaseUrl` (the web application's address) puts the QR code
 * of the public page on the notice.
 */
export function commitmentReportRequests(clock: Clock, publicBaseUrl?: string) {
  async function noticeRequest(em: EntityManager, set: CommitmentSet, approvedVersion: number, fromIso: string, toIso: string, createdBy: string): Promise<CommitmentReportRequest> {
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
    const from = shanghaiDate(new Date(fromIso));
    const label = organizationLabel(org.kind);
    const partyOrganization = org.partyOrgName ?? `${org.name}党组织`;
    // Staff and the public report to the street committee above the organization, else to the department.
    const department = await departmentOf(em, set);
    const street = await streetOf(em, org.unit.id);
    const token = publicBaseUrl ? await derivedLinkToken(em, PUBLIC_COMMITMENTS, set.id) : null;
    const data = {
      year: set.year,
      organization: { name: org.name, label, partyOrganization, address: org.address ?? null },
      publication: { from, to: shanghaiDate(new Date(toIso)) },
      partyCommitments: group('party'),
      enterpriseCommitments: group('enterprise'),
      supervision: { contact: street?.party_org_name ?? department.name, phone: department.contact },
      publicUrl: token ? `${publicBaseUrl!.replace(/\/+$/, '')}/public/commitments/${token}` : null,
      // The notice is the Party organization's own (issuer 'organization'): signed by hand by its
      // secretary and by the investor or head, sealed by the Party organization.
      signatures: [
        { role: '党组织书记', signer: null, date: null, decision: null },
        { role: label === '企业' ? '企业出资人（负责人）' : `${label}负责人`, signer: null, date: null, decision: null },
      ],
    };
    return { type: 'commitment-notice', data, meta: { issuingUnit: partyOrganization }, subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  async function evaluationRecordRequest(em: EntityManager, set: CommitmentSet, result: ReturnType<typeof scoreEvaluation>, createdBy: string): Promise<CommitmentReportRequest> {
    const items = await approvedItems(em, set);
    const progress = new Map((await em.find(CommitmentItemProgress, { set: set.id })).map((p) => [p.itemKey, p]));
    const scored = items.map((i) => ({ item: i, score: Number(progress.get(i.key)?.score ?? 0), p: progress.get(i.key) }));
    const org = set.organization.getEntity();
    const evaluator = set.evaluatorSignedBy ? await em.findOneOrFail(Account, { id: set.evaluatorSignedBy.id }) : null;
    const countersigner = set.countersignedBy ? await em.findOneOrFail(Account, { id: set.countersignedBy.id }) : null;
    const fulfilled = (side: 'party' | 'enterprise') => scored.filter((s) => s.item.side === side && s.p?.status === 'fulfilled').length;
    const label = organizationLabel(org.kind);
    const methods = { self: `党组织和${label}自评`, staff: '职工评议', organization: '上级党组织评价' } as const;
    const secretary = partySecretaryOf(org.responsiblePeople);
    const department = await departmentOf(em, set);
    const recordNumber = await allocateDocumentNumber(em, { issuer: department, kind: 'evaluation-record', year: set.year, subjectKey: `commitment_set/${set.id}` });
    const statusName = (status: string | null | undefined) => (status && STATUS_NAMES[status as FulfilmentStatus]) || '未填报';
    const data = {
      year: set.year,
      recordNumber,
      organization: {
        name: org.name,
        label,
        partyOrganization: org.partyOrgName ?? `${org.name}党组织`,
        partyOrgType: org.partyOrgType ?? null,
        partyOrgFoundedOn: org.partyOrgFoundedOn ?? null,
        partySecretary: secretary?.name ?? null,
        contactPhone: secretary?.phone ?? null,
        staffCount: org.staffCount ?? null,
        partyMemberCount: org.partyMemberCount ?? null,
      },
      commitments: {
        partyTotal: items.filter((i) => i.side === 'party').length,
        partyFulfilled: fulfilled('party'),
        enterpriseTotal: items.filter((i) => i.side === 'enterprise').length,
        enterpriseFulfilled: fulfilled('enterprise'),
      },
      // Each component as the rule applied it: its weight, its score out of 100 and its part of the total.
      evaluations: result.components.map((c) => ({ method: methods[c.method], weightPercent: c.weightPercent, score: c.score, weighted: c.score === null ? 0 : Math.round(c.score * c.weightPercent) / 100 })),
      itemScores: scored.map((s) => ({ side: s.item.side === 'party' ? '党组织' : label, item: s.item.title, status: statusName(s.p?.status), score: s.score, remark: s.p?.scoreRemark || null })),
      itemMean: result.components.find((c) => c.method === 'organization')?.score ?? 0,
      totalScore: result.total,
      grade: result.grade,
      summary: `双方共作出承诺${items.length}项，已兑现${fulfilled('party') + fulfilled('enterprise')}项；加权总分${result.total}分，评定为${result.grade}。`,
      filedOn: shanghaiDate(set.countersignedAt ?? clock.now()),
      signatures: [
        { role: '评审人', signer: evaluator?.displayName ?? null, date: set.evaluatorSignedAt ? shanghaiDate(set.evaluatorSignedAt) : null, decision: `评定为${result.grade}。` },
        { role: department.name, signer: countersigner?.displayName ?? null, date: set.countersignedAt ? shanghaiDate(set.countersignedAt) : null, decision: '同意备案。', seal: true },
      ],
    };
    return { type: 'evaluation-record', data, meta: meta(department, recordNumber), subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  async function factualEvaluationRequest(em: EntityManager, set: CommitmentSet, record: FactualEvaluationRecord, createdBy: string): Promise<CommitmentReportRequest> {
    const organization = set.organization.getEntity();
    const superior = record.superior;
    const items = await approvedItems(em, set);
    const progress = new Map((await em.find(CommitmentItemProgress, { set: set.id })).map((p) => [p.itemKey, p]));
    const judged = new Map(record.itemStatuses.map((s) => [s.itemKey, s.status]));
    const statusOf = (key: string): FulfilmentStatus | null => judged.get(key) ?? (progress.get(key)?.status as FulfilmentStatus | null | undefined) ?? null;
    const count = (status: FulfilmentStatus) => items.filter((i) => statusOf(i.key) === status).length;
    const writer = await em.findOne(Account, { id: record.by });
    const countersigner = set.countersignedBy ? await em.findOneOrFail(Account, { id: set.countersignedBy.id }) : null;
    const unit = organization.unit.getEntity();
    const department = await departmentOf(em, set);
    const documentNumber = await allocateDocumentNumber(em, { issuer: department, kind: 'factual-evaluation', year: set.year, subjectKey: `commitment_set/${set.id}` });
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
        { role: unit.partyOrgName || '街道（社区）党组织', signer: writer?.displayName ?? record.byLogin, date: writtenOn, decision: '情况属实。', seal: true },
        { role: department.name, signer: countersigner?.displayName ?? null, date: set.countersignedAt ? shanghaiDate(set.countersignedAt) : null, decision: '同意，报送上级党组织。', seal: true },
      ],
    };
    return { type: 'factual-evaluation', data, meta: meta(department, documentNumber), subjectType: 'commitment_set', subjectId: set.id, cycleId: set.cycle.id, createdBy };
  }

  return { noticeRequest, evaluationRecordRequest, factualEvaluationRequest };
}
