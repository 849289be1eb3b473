// One organization's commitments (定诺): the sets a caller may see, one set's view (read from
// the records only, so it answers whether or not a worker is up), the draft the enterprise
// saves, and the submission and review, which are updates of the set's workflow (its activity
// records them). Writes: drafts only (commitment_set_version rows in status draft and the set's
// draft counter); nothing after an update.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { escapeLike, isAdmin } from '../../../domain/auth/scope.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';
import { badRequest, conflictOf, forbidden } from '../../../domain/errors.ts';
import { CommitmentItemProgress, CommitmentSet, CommitmentSetVersion } from '../../../domain/entities/commitment.ts';
import { commitmentReportDue, validateCommitmentSet, variantForKind, type CommitmentDraft } from '../../../domain/dual-commitment/rules.ts';
import {
  PUBLIC_COMMITMENTS,
  reviewCommitmentSet,
  STAFF_SURVEY,
  submitCommitmentSet,
  type CommitmentReportType,
} from '../../../domain/dual-commitment/contracts.ts';
import type { Gate } from '../../../domain/dual-commitment/state.ts';
import { endOfShanghaiDay } from '../../../domain/time.ts';
import { changeWithAudit } from '../../audited.ts';
import { iso } from '../../schemas/common.ts';
import { askWorkflow, takeUpdate } from '../../workflow-refusals.ts';
import { isRunning, reportEntry } from '../reports.ts';
import { recordedSetState } from './set-state.ts';
import {
  auditActor, catalogFor, catalogRefs, gateDates, gateDue, loadSetFor, planOf, tellSetWorkflow, type Caller, type DualCommitmentDeps,
} from './access.ts';

/** A draft as the enterprise sends it: key and catalog code may be left out. */
export type DraftInput = Omit<CommitmentDraft, 'key' | 'catalogItemCode' | 'responsiblePerson'> & {
  key?: string;
  catalogItemCode?: string | null;
  responsiblePerson: { name: string; phone?: string | null };
};

export function createSetService(deps: DualCommitmentDeps) {
  const { bounds, temporal } = deps;
  const handleOf = (set: CommitmentSet) => temporal.workflow.getHandle(set.workflowId);
  /** The set's workflow still runs, so a report it has not filed nor failed is still being made (the server answers, no worker needed). */
  const cycleStillRendering = (set: CommitmentSet) => () => askWorkflow(bounds, () => isRunning(temporal, set.workflowId));

  /** The sets the caller may see: their organization's, those in their jurisdiction, or assigned to them. */
  async function list({ em, principal }: Caller, query: { year?: number; cycleId?: string; gate?: Gate; limit: number; offset: number }) {
    const admin = isAdmin(principal);
    const within: Record<string, unknown>[] = [];
    if (!admin) {
      const orgIds = principal.grants.filter((g) => g.organizationId).map((g) => g.organizationId!);
      const paths = principal.grants.filter((g) => g.unitPath).map((g) => g.unitPath!);
      const assigned = (await em.getConnection().execute<{ subject_id: string }[]>(
        "select subject_id from evaluator_assignment where account_id = ? and subject_type = 'organization'", [principal.accountId],
      )).map((r) => r.subject_id);
      within.push(
        { organization: { $in: [...orgIds, ...assigned] } },
        ...paths.map((p) => ({ organization: { unit: { path: { $like: `${escapeLike(p)}%` } } } })),
      );
    }
    const where: Record<string, unknown> = {
      ...(query.year ? { year: query.year } : {}),
      ...(query.cycleId ? { cycle: query.cycleId } : {}),
      ...(query.gate ? { gate: query.gate } : {}),
      ...(admin ? {} : { $or: within }),
    };
    const orderBy = { year: 'desc', organization: { name: 'asc' } } as never;
    const options = { populate: ['organization', 'cycle'] as never, orderBy, limit: query.limit, offset: query.offset };
    const [rows, total] = await em.findAndCount(CommitmentSet, where as never, options);
    return {
      total,
      items: rows.map((s) => ({
        id: s.id, year: s.year, cycleId: s.cycle.id, organizationId: s.organization.id, organizationName: s.organization.getEntity().name,
        gate: s.gate, status: s.status, approvedVersion: s.approvedVersion ?? null, due: gateDue(s), href: `/dual-commitments/sets/${s.id}`,
      })),
    };
  }

  /** The reports of the set that are due: filed (download), or failed / not made with the reason and the re-render link. */
  async function reportsOf(em: EntityManager, set: CommitmentSet, state: Awaited<ReturnType<typeof recordedSetState>>) {
    const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
    const reportTypes: CommitmentReportType[] = ['commitment-notice', residentUnit ? 'factual-evaluation' : 'evaluation-record'];
    const reports = [];
    for (const type of reportTypes.filter((t) => commitmentReportDue(set, t) === null)) {
      const path = `/dual-commitments/sets/${set.id}/reports/${type}`;
      const rendering = state.reports[type]?.status === 'rendering' ? cycleStillRendering(set) : false;
      const links = { download: () => path, render: `${path}/render` };
      const entry = await reportEntry(em, temporal, { subjectType: 'commitment_set', subjectId: set.id, type }, links, rendering);
      reports.push({ ...entry, failedAt: iso(entry.failedAt) });
    }
    return reports;
  }

  /**
   * One organization's commitments: versions, progress, links, reports and where the cycle
   * stands, all from the records the workflow's activities and the API keep (no query).
   */
  async function view(caller: Caller, setId: string) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    const versions = await em.find(CommitmentSetVersion, { set: set.id }, { orderBy: { version: 'asc' } });
    const items = await em.find(CommitmentItemProgress, { set: set.id }, { orderBy: { itemKey: 'asc' } });
    const state = await recordedSetState(em, set, { versions, progress: items });
    const publicToken = set.publishedFrom ? await derivedLinkToken(em, PUBLIC_COMMITMENTS, set.id) : null;
    // 四双: resident units are evaluated by the street or community (写实评价), not by a staff survey.
    const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
    const surveyToken = !residentUnit && (set.gate === 'evaluate' || set.gate === 'filed') ? await derivedLinkToken(em, STAFF_SURVEY, set.id) : null;
    const publication = set.publishedFrom
      ? {
        from: iso(set.publishedFrom)!, to: iso(set.publishedTo)!, closedAt: iso(set.publicationClosedAt), noticeSha256: set.noticeSha256 ?? null,
        publicPath: `/public/commitments/${publicToken}`,
      }
      : null;
    return {
      id: set.id,
      organizationId: set.organization.id,
      organizationName: set.organization.getEntity().name,
      year: set.year,
      workflowId: set.workflowId,
      gate: set.gate,
      status: set.status,
      yourRoles: actor.roles,
      approvedVersion: set.approvedVersion ?? null,
      versions: versions.map((v) => ({
        version: v.version, status: v.status, isChange: v.isChange, items: v.items,
        submittedAt: iso(v.submittedAt), reviewedAt: iso(v.reviewedAt), reviewComments: v.reviewComments ?? null,
      })),
      progress: items.map((i) => ({
        id: i.id, itemKey: i.itemKey, status: i.status ?? null, description: i.description ?? null, reason: i.reason ?? null,
        evidenceFileId: i.evidenceFileId ?? null, filedAt: iso(i.filedAt), escalatedAt: iso(i.escalatedAt), score: i.score == null ? null : Number(i.score),
      })),
      publication,
      surveyPath: surveyToken ? `/public/commitment-surveys/${surveyToken}` : null,
      result: set.filedAt
        ? {
          totalScore: set.totalScore == null ? null : Number(set.totalScore), grade: set.grade ?? null, evaluation: set.evaluation ?? null,
          recordSha256: set.recordSha256 ?? null, filedAt: set.filedAt.toISOString(),
        }
        : null,
      reports: await reportsOf(em, set, state),
      due: gateDue(set),
      gateDates: gateDates(set),
      /** Where the cycle stands, as its activities recorded it (the shape of the workflow's status). */
      workflow: state,
    };
  }

  /** 定诺: saves the draft; a save after a submission starts a new version. Answers the rule problems found. */
  async function saveDraft(caller: Caller, setId: string, commitments: DraftInput[]) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    if (!actor.roles.some((r) => r === 'enterprise_rep' || r === 'enterprise_party_org')) {
      throw forbidden('only the enterprise or its Party organization drafts commitments');
    }
    if (!['set', 'show', 'practice'].includes(set.gate)) throw conflictOf('wrong_gate', `commitments cannot change in gate ${set.gate}`);
    const items: CommitmentDraft[] = commitments.map((c) => ({
      ...c,
      key: c.key ?? randomUUID(),
      catalogItemCode: c.catalogItemCode ?? null,
      responsiblePerson: { name: c.responsiblePerson.name, phone: c.responsiblePerson.phone ?? null },
    }));
    const latest = set.latestVersion ? await em.findOne(CommitmentSetVersion, { set: set.id, version: set.latestVersion }) : null;
    const appends = !latest || latest.status !== 'draft';
    const audit = {
      action: 'commitment_set.draft_save', entityType: 'commitment_set', entityId: set.id,
      before: latest?.status === 'draft' ? { version: latest.version, items: latest.items.length } : null,
      after: { version: appends ? set.latestVersion + 1 : set.latestVersion, items: items.length },
    };
    await changeWithAudit(em, auditActor(actor), audit, (tx) => {
      if (!appends) {
        latest!.items = items;
      } else {
        set.latestVersion += 1;
        const isChange = set.approvedVersion !== null && set.approvedVersion !== undefined;
        tx.create(CommitmentSetVersion, { set: set.id, version: set.latestVersion, items, status: 'draft', isChange, savedBy: actor.accountId } as never);
      }
    });
    const problems = validateCommitmentSet(items, planOf(set).deadlineWindow, catalogRefs(await catalogFor(em, set)));
    return { version: set.latestVersion, problems: problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })) };
  }

  /** 定诺: submits the latest draft for review (also a change during practice). */
  async function submit(caller: Caller, setId: string) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    const draft = set.latestVersion ? await em.findOne(CommitmentSetVersion, { set: set.id, version: set.latestVersion }) : null;
    if (!draft || draft.status !== 'draft') throw conflictOf('wrong_state', 'there is no unsubmitted draft; save one with PUT .../draft');
    const problems = validateCommitmentSet(draft.items, planOf(set).deadlineWindow, catalogRefs(await catalogFor(em, set)));
    if (problems.length) throw badRequest('the commitments are incomplete', problems.map((p) => ({ field: `draft.${p.field}`, rule: p.rule })));
    const items = draft.items.map((i) => ({ key: i.key, side: i.side, dueAt: new Date(endOfShanghaiDay(i.deadline)).toISOString() }));
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), submitCommitmentSet, [{ actor, version: draft.version, items }]));
    return { version: draft.version, gate: status.gate, setStatus: status.setStatus };
  }

  /** 定诺: approves or returns the submitted version. */
  async function review(caller: Caller, setId: string, body: { version: number; decision: 'approve' | 'return'; comments?: string }) {
    const { set, actor } = await loadSetFor(caller, setId);
    const update = { actor, version: body.version, decision: body.decision, comments: body.comments ?? '' };
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), reviewCommitmentSet, [update]));
    return { gate: status.gate, setStatus: status.setStatus, approvedVersion: status.approvedVersion };
  }

  return { list, view, saveDraft, submit, review };
}
