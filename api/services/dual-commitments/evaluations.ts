// 践诺 and 评诺 through the set's workflow: filing an item's status with its evidence, the
// self-evaluations, the evaluator's scores and sign-off, the 四双 写实评价 and the department's
// countersignature. The API checks what only it can (evidence of this organization, every
// approved item scored) and tells the workflow; the update's activity records what it accepted
// (activities/dual-commitment-filings.ts), so a refused action writes nothing and the API
// writes nothing after an update.
import { badRequest, notFound } from '../../../domain/errors.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import { CommitmentItemProgress, type CommitmentSet } from '../../../domain/entities/commitment.ts';
import type { CommitmentSide, FulfilmentStatus } from '../../../domain/dual-commitment/rules.ts';
import {
  countersignEvaluation,
  fileItemStatus,
  scoreCommitments,
  signOffEvaluation,
  submitSelfEvaluation,
  writeFactualEvaluation,
} from '../../../domain/dual-commitment/contracts.ts';
import { takeUpdate } from '../../workflow-refusals.ts';
import { loadSetFor, tellSetWorkflow, type Caller, type DualCommitmentDeps } from './access.ts';

export interface ItemStatusInput {
  status: FulfilmentStatus;
  description: string;
  reason?: string;
  evidenceFileId?: string;
}

export interface FactualEvaluationInput {
  text: string;
  itemStatuses?: { itemKey: string; status: FulfilmentStatus }[];
  superiorOrganization?: { name: string; contact?: string };
}

export function createEvaluationService(deps: DualCommitmentDeps) {
  const { bounds, temporal } = deps;
  const handleOf = (set: CommitmentSet) => temporal.workflow.getHandle(set.workflowId);

  /** 践诺: one commitment's status, with evidence uploaded through POST /evidence. */
  async function fileStatus(caller: Caller, setId: string, itemKey: string, body: ItemStatusInput) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    if (body.status !== 'fulfilled' && !body.reason?.trim()) {
      throw badRequest('a reason is required unless fulfilled', [{ field: 'body.reason', rule: 'is required when the status is partly or not_fulfilled' }]);
    }
    const progress = await em.findOne(CommitmentItemProgress, { set: set.id, itemKey });
    if (!progress) throw notFound('commitment item');
    if (body.evidenceFileId) {
      const file = await em.findOne(EvidenceFile, { id: body.evidenceFileId });
      if (!file || file.organization?.id !== set.organization.id) {
        throw badRequest('unknown evidence', [{ field: 'body.evidenceFileId', rule: 'must be evidence uploaded for this organization (POST /evidence)' }]);
      }
      if (file.subjectType && (file.subjectType !== 'commitment_item' || file.subjectId !== progress.id)) {
        throw badRequest('evidence of another record', [
          { field: 'body.evidenceFileId', rule: `supports ${file.subjectType} ${file.subjectId}, not this commitment item (${progress.id})` },
        ]);
      }
    }
    const filing = {
      actor,
      itemKey: progress.itemKey,
      status: body.status,
      description: body.description,
      reason: body.reason ?? null,
      evidenceFileId: body.evidenceFileId ?? null,
    };
    await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), fileItemStatus, [filing]));
    return { itemKey: progress.itemKey, status: body.status, evidenceFileId: body.evidenceFileId ?? progress.evidenceFileId ?? null };
  }

  /** 评诺: a side's self-evaluation. */
  async function selfEvaluate(caller: Caller, setId: string, body: { side: CommitmentSide; score: number; summary: string }) {
    const { set, actor } = await loadSetFor(caller, setId);
    await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), submitSelfEvaluation, [{ actor, ...body }]));
    return { side: body.side, score: body.score };
  }

  /** 评诺: the evaluator scores every approved commitment, and only those. */
  async function score(caller: Caller, setId: string, given: { itemKey: string; score: number; remark?: string }[]) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    const rows = await em.find(CommitmentItemProgress, { set: set.id });
    const byKey = new Map(given.map((s) => [s.itemKey, s]));
    const missing = rows.filter((r) => !byKey.has(r.itemKey));
    const unknown = given.filter((s) => !rows.some((r) => r.itemKey === s.itemKey));
    if (missing.length || unknown.length) {
      throw badRequest('score every approved commitment, and only those', [
        ...missing.map((r) => ({ field: 'body.scores', rule: `misses item ${r.itemKey}` })),
        ...unknown.map((s) => ({ field: 'body.scores', rule: `item ${s.itemKey} is not an approved commitment` })),
      ]);
    }
    const scores = rows.map((row) => ({ itemKey: row.itemKey, score: byKey.get(row.itemKey)!.score, remark: byKey.get(row.itemKey)!.remark ?? null }));
    await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), scoreCommitments, [{ actor, scores }]));
    return { scored: rows.length };
  }

  /** 评诺: the evaluator signs off (once). */
  async function signOff(caller: Caller, setId: string) {
    const { set, actor } = await loadSetFor(caller, setId);
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), signOffEvaluation, [{ actor }]));
    return { gate: status.gate, evaluatorSignedBy: status.evaluatorSignedBy };
  }

  /** 评诺 (四双): the street or community writes the 写实评价 (once). */
  async function writeFactual(caller: Caller, setId: string, body: FactualEvaluationInput) {
    const { set, actor } = await loadSetFor(caller, setId);
    const superior = body.superiorOrganization ? { name: body.superiorOrganization.name, contact: body.superiorOrganization.contact ?? null } : null;
    const update = { actor, text: body.text, itemStatuses: body.itemStatuses ?? [], superior };
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), writeFactualEvaluation, [update]));
    return { gate: status.gate, factualEvaluatedBy: status.factualEvaluatedBy };
  }

  /** 评诺: the organization department countersigns for filing (备案). */
  async function countersign(caller: Caller, setId: string) {
    const { set, actor } = await loadSetFor(caller, setId);
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, handleOf(set), countersignEvaluation, [{ actor }]));
    return { gate: status.gate, countersignedBy: status.countersignedBy };
  }

  return { fileStatus, selfEvaluate, score, signOff, writeFactual, countersign };
}
