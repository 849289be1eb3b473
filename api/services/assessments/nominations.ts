// The nomination stage of a round whose scheme has one (最美网格员/楼栋长): community or street
// staff over a candidate's unit nominate with a reason, the department accepts or refuses each
// (a refusal says why), and the department names the voters of a named-voter source (党员代表).
// Field errors come at once; the workflow's validator has the last word (stage, doubled candidate).
import { WorkflowNotFoundError } from '@temporalio/client';
import { recordAudit } from '../../../domain/audit/record.ts';
import { badRequest, conflictOf, forbidden } from '../../../domain/errors.ts';
import { indicatorsOf, type SourceKind } from '../../../domain/assessment/rules.ts';
import { nominateAssessmentCandidate, reviewAssessmentNomination } from '../../../domain/assessment/contracts.ts';
import { MAX_REASON, type Candidate, type NominationStatus, type Nominator } from '../../../domain/assessment/votes.ts';
import { takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import { asDepartment, holdsOver, pathsOf, roundFor, type AssessmentDeps, type Caller, type RoundAccess } from './access.ts';

interface NominationRow {
  id: string; nominator_kind: string; candidate_account_id: string | null; candidate_unit_id: string; candidate_name: string; unit_name: string;
  status: NominationStatus;
  unit_path: string; reason: string; decision_reason: string | null; subject_id: string | null; nominated_at: Date;
}

export function createNominationService(deps: AssessmentDeps) {
  const ended = async (error: unknown) => (error instanceof WorkflowNotFoundError ? conflictOf('wrong_stage', 'the round has ended') : undefined);
  const staged = (access: RoundAccess) => {
    if (!access.round.definition.nomination) throw conflictOf('no_nomination', 'this scheme has no nomination stage');
    return access.round.definition.nomination;
  };

  async function list(c: Caller, roundId: string) {
    const access = await roundFor(c, roundId);
    const d = access.round.definition;
    const rows = d.nomination ? await c.em.execute<NominationRow[]>(
      `select n.*, u.name unit_name, u.path unit_path from assessment_nomination n join administrative_unit u on u.id = n.candidate_unit_id
        where n.round_id = ? order by n.nominated_at, n.id`, [roundId]) : [];
    const seen = access.department ? rows : rows.filter((r) => access.within.some((p) => r.unit_path.startsWith(p)));
    const kinds = (d.nomination?.by ?? []).filter((k) => k !== 'residents' && pathsOf(c.principal, [k]).some((p) => p.startsWith(access.round.unit_path)));
    return {
      roundId, stage: access.round.stage,
      canNominate: access.round.stage === 'nomination' && kinds.length > 0,
      canReview: access.department && (access.round.stage === 'nomination' || access.round.stage === 'review'),
      items: seen.map((r) => ({
        id: r.id, nominatorKind: r.nominator_kind, candidateAccountId: r.candidate_account_id, unitId: r.candidate_unit_id, unitName: r.unit_name,
        name: r.candidate_name, reason: r.reason, status: r.status, decisionReason: r.decision_reason, subjectId: r.subject_id,
        nominatedAt: new Date(r.nominated_at).toISOString(),
      })),
    };
  }

  async function nominate(c: Caller, roundId: string, body: { unitId: string; candidateAccountId?: string; name?: string; reason: string }) {
    const access = await roundFor(c, roundId);
    const n = staged(access);
    const d = access.round.definition;
    const [unit] = await c.em.execute<{ id: string; path: string; level: string }[]>(
      'select id, path, level from administrative_unit where id = ?', [body.unitId]);
    if (!unit || !unit.path.startsWith(access.round.unit_path)) {
      throw badRequest('the candidate is not in the round', [{ field: 'body.unitId', rule: 'must be a unit of the round' }]);
    }
    if (d.target.kind === 'organization') throw conflictOf('no_nomination', 'organizations are not nominated');
    if (unit.level !== d.target.unitLevel) {
      throw badRequest('the candidate is not in the right kind of unit', [{ field: 'body.unitId', rule: `must be a ${d.target.unitLevel}` }]);
    }
    const kind = n.by.find((k): k is Exclude<Nominator, 'residents'> => k !== 'residents' && holdsOver(c.principal, unit.path, [k]));
    if (!kind) throw forbidden('you do not nominate candidates in this unit', 'not_your_role');
    const reason = body.reason?.trim() ?? '';
    if (reason.length < 5 || reason.length > MAX_REASON) {
      throw badRequest('the nomination needs a reason', [{ field: 'body.reason', rule: `must be 5 to ${MAX_REASON} characters` }]);
    }
    let candidate: Candidate;
    if (d.target.kind === 'role') {
      const [holder] = await c.em.execute<{ display_name: string }[]>(
        `select a.display_name from role_assignment ra join account a on a.id = ra.account_id and a.active
          where ra.account_id = ? and ra.role = ? and ra.unit_id = ?`,
        [body.candidateAccountId ?? '00000000-0000-0000-0000-000000000000', d.target.role, unit.id]);
      if (!holder) {
        throw badRequest('the candidate does not hold the role', [{ field: 'body.candidateAccountId', rule: `must hold ${d.target.role} on the unit` }]);
      }
      candidate = { accountId: body.candidateAccountId!, unitId: unit.id, name: holder.display_name };
    } else {
      const name = body.name?.trim() ?? '';
      if (!name || name.length > 100) throw badRequest('the candidate needs a name', [{ field: 'body.name', rule: 'must be 1 to 100 characters' }]);
      candidate = { accountId: null, unitId: unit.id, name };
    }
    await tellWorkflow(() => takeUpdate(deps.bounds, deps.temporal.workflow.getHandle(access.round.workflow_id), nominateAssessmentCandidate,
      [{ by: { kind, accountId: c.principal.accountId }, candidate, reason }]), ended);
    return list(c, roundId);
  }

  async function review(c: Caller, roundId: string, body: { nominationId: string; decision: 'accept' | 'refuse'; reason?: string }) {
    const access = await roundFor(c, roundId);
    staged(asDepartment(access, 'reviews nominations'));
    if (body.decision === 'refuse' && (body.reason ?? '').trim().length < 2) {
      throw badRequest('a refusal says why', [{ field: 'body.reason', rule: `is required to refuse (2 to ${MAX_REASON} characters)` }]);
    }
    await tellWorkflow(() => takeUpdate(deps.bounds, deps.temporal.workflow.getHandle(access.round.workflow_id), reviewAssessmentNomination,
      [{ ...body, accountId: c.principal.accountId }]), ended);
    return list(c, roundId);
  }

  /** The department names the voters of a source (replacing the earlier list); they vote on every subject, once each. */
  async function setVoters(c: Caller, roundId: string, body: { source: SourceKind; accountIds: string[] }) {
    const access = asDepartment(await roundFor(c, roundId), 'names voters');
    const d = access.round.definition;
    const voting = new Set(indicatorsOf(d).filter((i) => i.rule === 'vote').flatMap((i) => i.voters ?? []));
    if (!voting.has(body.source) || ['self', 'residents', 'department'].includes(body.source)) {
      throw badRequest('this source has no named voters',
        [{ field: 'body.source', rule: 'must be a source that votes in this scheme and is not self, residents or department' }]);
    }
    if (access.round.stage === 'closed') throw conflictOf('wrong_stage', 'the round has ended');
    const ids = [...new Set(body.accountIds)];
    // Only people of the round's unit (their person's unit or a role there), never an administrator: naming grants a ballot, nothing more.
    const found = await c.em.execute<{ id: string; display_name: string }[]>(
      `select a.id, a.display_name from account a where a.active and a.id = any(?::uuid[])
          and not exists (select 1 from role_assignment x where x.account_id = a.id and x.role = 'admin')
          and (exists (select 1 from person pe join administrative_unit pu on pu.id = pe.unit_id where pe.id = a.person_id and pu.path like ?)
            or exists (select 1 from role_assignment ra join administrative_unit ru on ru.id = ra.unit_id where ra.account_id = a.id and ru.path like ?))`,
      [`{${ids.join(',')}}`, `${access.round.unit_path}%`, `${access.round.unit_path}%`]);
    const missing = ids.map((id, i) => [id, i] as const).filter(([id]) => !found.some((f) => f.id === id));
    if (missing.length) {
      throw badRequest('some voters are not active accounts of the round\'s unit',
        missing.map(([, i]) => ({ field: `body.accountIds[${i}]`, rule: 'must be an active account of a person in the round\'s unit' })));
    }
    await c.em.transactional(async (tx) => {
      await tx.execute('delete from assessment_voter where round_id = ? and source = ?', [roundId, body.source]);
      for (const id of ids) await tx.execute('insert into assessment_voter (round_id, source, account_id, named_by) values (?, ?, ?, ?)',
        [roundId, body.source, id, c.principal.accountId]);
      await recordAudit(tx, { actor: { accountId: c.principal.accountId, label: c.principal.login },
        action: 'assessment_round.voters', entityType: 'assessment_round',
        entityId: roundId, after: { source: body.source, voters: ids.length } });
    });
    return { source: body.source, voters: found.map((f) => ({ accountId: f.id, name: f.display_name })) };
  }

  return { list, nominate, review, setVoters };
}
