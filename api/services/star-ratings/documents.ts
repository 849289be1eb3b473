// The star rating's PDFs: plaques (授牌证书) the workflow rendered with an award, and the
// jurisdiction's 星级评定名单 rendered on request by a starRatingList workflow through the
// shared reports queue. The files are in the report store; nothing is written here but the
// audit row that publishes a list (it also says which jurisdiction may download it).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { conflictOf, notFound } from '../../../domain/errors.ts';
import { resultWhenTaken } from '../../workflow-refusals.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { StarMove } from '../../../domain/entities/star-rating.ts';
import { reportRelativePath } from '../../../reports/store.ts';
import {
  STAR_RATING_LIST_WORKFLOW, starRatingListWorkflowId, type StarRatingListInput, type StarRatingListResult,
} from '../../../domain/star-rating/contracts.ts';
import { auditActorOf, jurisdiction, ratingFor, type Caller, type StarDeps } from './access.ts';

/** How long POST /star-ratings/lists waits for a list a worker is rendering (a cold browser included). */
const LIST_RENDER_MS = 120_000;

const stored = (deps: StarDeps, sha256: string) => readFile(path.join(deps.dataDir, reportRelativePath(sha256)));

export async function plaque(deps: StarDeps, caller: Caller, orgId: string, year: number): Promise<{ sha256: string; pdf: Buffer }> {
  const { em, org } = await ratingFor(caller, orgId);
  const move = await em.findOne(StarMove, { organization: org.id, year, trigger: 'rating', plaqueSha256: { $ne: null } });
  if (!move) throw notFound('plaque');
  return { sha256: move.plaqueSha256!, pdf: await stored(deps, move.plaqueSha256!) };
}

export async function renderList(deps: StarDeps, caller: Caller, body: { year: number; kind: '评定' | '复审'; unitId?: string }) {
  const unit = await jurisdiction(caller, body.unitId);
  const { principal, em } = caller;
  const input: StarRatingListInput = { unitId: unit.id, year: body.year, kind: body.kind, decidedByLogin: principal.displayName };
  const workflowId = starRatingListWorkflowId(unit.id, input.year, randomUUID());
  const handle = await deps.temporal.workflow.start(STAR_RATING_LIST_WORKFLOW, { taskQueue: deps.taskQueue, workflowId, args: [input] });
  const result = await resultWhenTaken<StarRatingListResult>(deps.bounds, handle, LIST_RENDER_MS);
  if (!result.sha256) throw conflictOf(result.entries === 0 ? 'nothing_to_list' : 'report_failed', result.problem ?? 'the list could not be rendered');
  const after = { year: input.year, kind: input.kind, sha256: result.sha256, entries: result.entries };
  const audit = { actor: auditActorOf(principal), action: 'star_rating.list', entityType: 'administrative_unit', entityId: unit.id, after };
  await em.transactional((tx) => recordAudit(tx, audit));
  return { sha256: result.sha256, entries: result.entries, download: `/star-ratings/lists/${result.sha256}` };
}

/** A published list, for the jurisdiction it was rendered for (and the units above it). */
export async function list(deps: StarDeps, caller: Caller, sha256: string): Promise<Buffer> {
  const rows = await caller.em.execute<{ entity_id: string }[]>(
    `select entity_id from audit_entry where action = 'star_rating.list' and after->>'sha256' = ? limit 1`,
    [sha256],
  );
  if (!rows[0]) throw notFound('list');
  await jurisdiction(caller, rows[0].entity_id);
  return stored(deps, sha256);
}
