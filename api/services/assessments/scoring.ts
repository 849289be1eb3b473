// What people file in a round: a source's scores of one assessed person or unit, the
// department closing scoring early, a sign-off of the chain. The API checks who the caller is
// (which sources it may file as: else 403) and gives field errors at once; the workflow's
// validator has the last word (stage, role, a score over the max), and its activity records
// what it accepted, so a refused action writes nothing.
import { WorkflowNotFoundError } from '@temporalio/client';
import { badRequest, conflictOf, forbidden } from '../../../domain/errors.ts';
import { entriesProblems, type Entry, type SourceKind } from '../../../domain/assessment/rules.ts';
import { closeAssessmentScoring, signOffAssessmentRound, submitAssessmentScores } from '../../../domain/assessment/contracts.ts';
import { takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import { asDepartment, roundFor, signOffRoleOf, sourcesFor, type AssessmentDeps, type Caller } from './access.ts';
import type { createRoundService } from './rounds.ts';

export function createScoringService(deps: AssessmentDeps, rounds: ReturnType<typeof createRoundService>) {
  const ended = (what: string) => async (error: unknown) => (error instanceof WorkflowNotFoundError ? conflictOf('wrong_stage', what) : undefined);

  async function file(c: Caller, roundId: string, subjectId: string, body: { source: SourceKind; scores: Record<string, Entry> }) {
    const { access, subject, peerPaths } = await rounds.subjectFor(c, roundId, subjectId);
    if (body.source === 'residents' && access.department && access.round.resident_codes) {
      throw conflictOf('residents_by_codes', 'residents answer this round with one-time codes: enter paper questionnaires as 线下 with a note');
    }
    if (!sourcesFor(c, access, subject, peerPaths).includes(body.source)) {
      throw forbidden(`you do not score ${subject.name} as ${body.source}`, 'not_your_role');
    }
    if (access.round.stage !== 'scoring') throw conflictOf('wrong_stage', 'scoring of this round is closed');
    const problems = entriesProblems(access.round.definition, body.source, body.scores);
    if (problems.length) throw badRequest('the scores cannot be accepted', problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    const handle = deps.temporal.workflow.getHandle(subject.workflow_id);
    const state = await tellWorkflow(
      () => takeUpdate(deps.bounds, handle, submitAssessmentScores, [{ source: body.source, accountId: c.principal.accountId, entries: body.scores }]),
      ended('scoring of this round is closed'),
    );
    return { subjectId, source: body.source, filed: state.filed.length };
  }

  async function closeScoring(c: Caller, roundId: string) {
    const access = asDepartment(await roundFor(c, roundId), 'closes scoring');
    const state = await tellWorkflow(
      () => takeUpdate(deps.bounds, deps.temporal.workflow.getHandle(access.round.workflow_id), closeAssessmentScoring, [{ accountId: c.principal.accountId }]),
      ended('the round has ended'),
    );
    return { stage: state.stage, signOffStep: state.signOffStep };
  }

  async function signOff(c: Caller, roundId: string) {
    const { round } = await roundFor(c, roundId);
    const role = signOffRoleOf(c, round);
    const state = await tellWorkflow(
      () => takeUpdate(deps.bounds, deps.temporal.workflow.getHandle(round.workflow_id), signOffAssessmentRound, [{ role, accountId: c.principal.accountId }]),
      ended('the round has ended'),
    );
    return { stage: state.stage, signOffStep: state.signOffStep };
  }

  return { file, closeScoring, signOff };
}
