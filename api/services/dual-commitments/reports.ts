// The set's PDFs: the notice (承诺公示), the filed record (评诺备案表) or the 四双 写实评价, as
// filed by the cycle, and rendering one again that the cycle could not make (the department's).
import { isAdmin } from '../../../domain/auth/scope.ts';
import { conflictOf, forbidden, notFound, DomainError } from '../../../domain/errors.ts';
import type { CommitmentSet } from '../../../domain/entities/commitment.ts';
import { commitmentReportDue, variantForKind } from '../../../domain/dual-commitment/rules.ts';
import type { CommitmentReportType } from '../../../domain/dual-commitment/contracts.ts';
import { askWorkflow } from '../../workflow-refusals.ts';
import { isRunning, startReportRender } from '../reports.ts';
import { GATE_NAMES, loadSetFor, type Caller, type DualCommitmentDeps } from './access.ts';

export function createReportService(deps: DualCommitmentDeps) {
  const { bounds, temporal } = deps;
  const cycleStillRendering = (set: CommitmentSet) => () => askWorkflow(bounds, () => isRunning(temporal, set.workflowId));

  /** The filed PDF and its SHA-256; not found until the cycle has filed it. */
  async function read(caller: Caller, setId: string, kind: CommitmentReportType): Promise<{ sha256: string; pdf: Buffer }> {
    const { set } = await loadSetFor(caller, setId);
    const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
    const sha256 = kind === 'commitment-notice' ? set.noticeSha256 : (kind === 'factual-evaluation') === residentUnit ? set.recordSha256 : null;
    if (!sha256) throw notFound('report');
    return { sha256, pdf: await deps.reportStore.read(sha256) };
  }

  /** Starts renderReportWorkflow for a report that failed or is missing; 409 while it is not due, filed or being made. */
  async function renderAgain(caller: Caller, setId: string, kind: CommitmentReportType) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    if (!isAdmin(caller.principal) && !actor.roles.includes('org_department')) {
      throw forbidden('reports are rendered again by the organization department over this organization');
    }
    const due = commitmentReportDue(set, kind);
    if (due?.code === 'not_applicable') throw new DomainError('not_found', 'not_found', due.message);
    if (due) throw conflictOf('not_ready', `${due.message} (the set is in gate ${GATE_NAMES[set.gate] ?? set.gate})`);
    return startReportRender(em, temporal, deps.taskQueue, {
      subject: { subjectType: 'commitment_set', subjectId: set.id, type: kind },
      requestedBy: { accountId: actor.accountId, label: actor.login },
      cycleRendering: cycleStillRendering(set),
      download: `/dual-commitments/sets/${set.id}/reports/${kind}`,
      statusPath: `/dual-commitments/sets/${set.id}`,
    });
  }

  return { read, renderAgain };
}
