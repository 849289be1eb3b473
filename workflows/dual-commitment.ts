// One organization's dual commitments for one year (双向承诺): 定诺 → 亮诺 → 践诺 → 评诺 → 备案.
// Workflow ID `dual-commitment/<orgId>/<year>`. People act through updates whose validators
// say at once why an action is refused; reminders and escalations run on timers; the
// database is written by activities only. PDFs (承诺公示, 评诺备案表) are rendered by the shared
// report pipeline on the reports task queue; a PDF that cannot be made is recorded and the
// cycle goes on without it, since a years-long cycle must not end over a document.
// The 四双 variant (input.variant 'resident_unit') runs the same gates between a street or
// community Party organization and a resident unit: that organization reviews, and 评诺 ends
// with its 写实评价 (no score), countersigned by the department and sent to the unit's
// superior Party organization. Commands differ only on the variant's path, so histories of
// the enterprise variant replay unchanged.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DualCommitmentActivities } from '../activities/dual-commitment.ts';
import type { CommitmentReportRequest, ReportRenderingActivities } from '../activities/dual-commitment-reports.ts';
import { reportsTaskQueueFor } from './task-queues.ts';
import { NON_RETRYABLE_REPORT_ERRORS } from '../domain/reports/contracts.ts';
import type { CommitmentVariant } from '../domain/dual-commitment/rules.ts';
import {
  apply,
  initialState,
  missedSubmissionReminder,
  nextRepeatAfter,
  pendingAlarms,
  refusal,
  submissionReminders,
  takeDueAlarms,
  type Action,
  type DualCommitmentState,
} from '../domain/dual-commitment/state.ts';
import {
  countersignEvaluation,
  dualCommitmentStatus,
  fileItemStatus,
  reviewCommitmentSet,
  scoreCommitments,
  signOffEvaluation,
  submitCommitmentSet,
  submitSelfEvaluation,
  writeFactualEvaluation,
  type DualCommitmentInput,
  type DualCommitmentResult,
  type DualCommitmentStatus,
} from '../domain/dual-commitment/contracts.ts';
import { DAY_MS } from '../domain/time.ts';

const acts = proxyActivities<DualCommitmentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes' },
});

/** How often an unapproved set is escalated again after its deadline. */
const ESCALATION_REPEAT_MS = 7 * DAY_MS;
/** Reminder to the evaluator this many days before the evaluation window closes. */
const EVALUATION_REMINDER_DAYS = 3;
/**
 * Patch: an escalation whose time passed while nobody ran it (a cycle started after its
 * deadline, a worker down for weeks) fires once, and the next one comes a full interval
 * later: the weeks already past are not caught up one after another. A cycle started inside
 * the submission reminder window sends the nearest reminder already due once, at once.
 * Reminders carry the workflow's clock so their text counts the days really left, and a
 * reminder whose deadline has already passed is not sent (the escalation says it).
 */
const LATE_ALARMS_ONCE = 'late-alarms-fire-once';
/**
 * Patch: the item status, self-evaluation and scores an update accepts are written to the
 * database by an activity the handler runs before it answers (one writer for what the
 * workflow accepted; the gates wait for it). Histories from before have no such activity.
 */
const FILINGS_RECORDED = 'filings-recorded-by-activities';

export async function dualCommitment(input: DualCommitmentInput): Promise<DualCommitmentResult> {
  const { setId, plan } = input;
  const variant: CommitmentVariant = input.variant ?? 'enterprise';
  const state = initialState(variant);
  let publication: DualCommitmentStatus['publication'] = null;
  const escalations: string[] = [];
  const reports: DualCommitmentStatus['reports'] = {};
  const status = (): DualCommitmentStatus => ({
    ...state,
    items: state.items.map((i) => ({ ...i })),
    setId,
    publication,
    escalations: [...escalations],
    reports: Object.fromEntries(Object.entries(reports).map(([k, v]) => [k, { ...v }])),
  });
  // Rendering waits in the reports queue with bounded concurrency; a renderer that stays down
  // past a day (or bad data at once) fails only the document, never the cycle.
  const reportRendering = proxyActivities<ReportRenderingActivities>({
    taskQueue: reportsTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: '10s', maximumInterval: '30 minutes', nonRetryableErrorTypes: NON_RETRYABLE_REPORT_ERRORS },
  });
  const renderAndRecord = async (request: CommitmentReportRequest): Promise<string | null> => {
    reports[request.type] = { status: 'rendering', sha256: null, problem: null };
    try {
      const stored = await reportRendering.renderReport(request);
      await acts.recordReport({ setId, type: request.type, report: { sha256: stored.sha256, reportFileId: stored.reportFileId, version: stored.version } });
      reports[request.type] = { status: 'stored', sha256: stored.sha256, problem: null };
      return stored.sha256;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      const reason = error.cause?.message ?? error.message;
      reports[request.type] = { status: 'failed', sha256: null, problem: reason };
      await acts.recordReportFailure({ setId, type: request.type, reason });
      return null;
    }
  };

  setHandler(dualCommitmentStatus, status);

  const check = (action: Action) => {
    const refused = refusal(state, action);
    if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
  };
  // The state changes at once (so a second, concurrent action is refused), but the gates
  // read what the handlers write: they wait until every handler's record is in the database.
  let recording = 0;
  const accept = async (action: Action, record?: () => Promise<void>) => {
    apply(state, action);
    if (record) {
      recording += 1;
      try {
        await record();
      } finally {
        recording -= 1;
      }
    }
    return status();
  };
  const recorded = () => condition(() => recording === 0);

  setHandler(submitCommitmentSet, (a) => accept({ kind: 'submit', ...a }, () => acts.recordSetSubmitted({ setId, version: a.version, actor: a.actor })), {
    validator: (a) => check({ kind: 'submit', ...a }),
  });
  setHandler(
    reviewCommitmentSet,
    (a) => accept({ kind: 'review', ...a }, () => acts.recordSetReviewed({ setId, version: a.version, decision: a.decision, comments: a.comments, actor: a.actor })),
    { validator: (a) => check({ kind: 'review', ...a }) },
  );
  // Patched: what people file (item status, self-evaluation, scores) is recorded by the
  // handler's activity, as submissions and sign-offs are; before, the API wrote it after the update.
  const filingsRecorded = () => patched(FILINGS_RECORDED);
  setHandler(
    fileItemStatus,
    (a) => accept({ kind: 'fileItemStatus', ...a }, filingsRecorded() ? () => acts.recordItemStatus({ setId, ...a }) : undefined),
    { validator: (a) => check({ kind: 'fileItemStatus', ...a }) },
  );
  setHandler(
    submitSelfEvaluation,
    (a) => accept({ kind: 'selfEvaluate', ...a }, filingsRecorded() ? () => acts.recordSelfEvaluation({ setId, ...a }) : undefined),
    { validator: (a) => check({ kind: 'selfEvaluate', ...a }) },
  );
  setHandler(scoreCommitments, (a) => accept({ kind: 'score', ...a }, filingsRecorded() ? () => acts.recordScores({ setId, ...a }) : undefined), {
    validator: (a) => check({ kind: 'score', ...a }),
  });
  setHandler(signOffEvaluation, (a) => accept({ kind: 'signOff', ...a }, () => acts.recordSignOff({ setId, step: 'evaluator', actor: a.actor })), {
    validator: (a) => check({ kind: 'signOff', ...a }),
  });
  setHandler(
    writeFactualEvaluation,
    (a) => {
      const action: Action = { kind: 'factualEvaluate', actor: a.actor, text: a.text, itemStatuses: a.itemStatuses ?? [] };
      return accept(action, () => acts.recordFactualEvaluation({ setId, text: a.text, itemStatuses: a.itemStatuses ?? [], superior: a.superior ?? null, actor: a.actor }));
    },
    { validator: (a) => check({ kind: 'factualEvaluate', actor: a.actor, text: a.text, itemStatuses: a.itemStatuses ?? [] }) },
  );
  setHandler(countersignEvaluation, (a) => accept({ kind: 'countersign', ...a }, () => acts.recordSignOff({ setId, step: 'department', actor: a.actor })), {
    validator: (a) => check({ kind: 'countersign', ...a }),
  });

  const enterGate = async (gate: DualCommitmentState['gate']) => {
    state.gate = gate;
    state.revision += 1;
    await acts.recordGate({ setId, gate });
  };
  // The workflow's clock for the reminder text (activity inputs are not part of the replay check).
  const nowIfPatched = (): { now?: number } => (patched(LATE_ALARMS_ONCE) ? { now: Date.now() } : {});
  const waitUntil = (at: number, done: () => boolean) => {
    const ms = at - Date.now();
    return ms > 0 ? condition(done, ms) : Promise.resolve(done());
  };

  // 定诺: reminders before the deadline, escalation after it (again weekly) until approved.
  // The set row starts in 定诺, so the first workflow task only arms a timer: starting a
  // cycle for thousands of organizations costs one workflow task each, no activity.
  const approved = () => state.setStatus === 'approved';
  // Patched: started inside the reminder window, the nearest reminder already due goes out once.
  const missed = missedSubmissionReminder(plan.submissionDeadline, plan.submissionReminderDays, Date.now());
  if (missed && patched(LATE_ALARMS_ONCE)) await acts.sendReminder({ setId, subject: 'submission', itemKey: null, daysBefore: missed.daysBefore, now: Date.now() });
  for (const reminder of submissionReminders(plan.submissionDeadline, plan.submissionReminderDays, Date.now())) {
    if (await waitUntil(reminder.at, approved)) break;
    await acts.sendReminder({ setId, subject: 'submission', itemKey: null, daysBefore: reminder.daysBefore, ...nowIfPatched() });
  }
  let nextEscalation = Date.parse(plan.submissionDeadline);
  const giveUpAt = Date.parse(plan.evaluationEnd);
  while (!approved()) {
    const at = Math.min(nextEscalation, giveUpAt);
    if (await waitUntil(at, approved)) break;
    if (Date.now() >= giveUpAt) break;
    await acts.escalate({ setId, subject: 'submission', itemKey: null, reviewPending: state.setStatus === 'submitted' });
    escalations.push(`submission@${new Date(Date.now()).toISOString()}`);
    nextEscalation = patched(LATE_ALARMS_ONCE) ? nextRepeatAfter(nextEscalation, ESCALATION_REPEAT_MS, Date.now()) : nextEscalation + ESCALATION_REPEAT_MS;
  }
  if (!approved()) {
    await enterGate('filed');
    await condition(allHandlersFinished);
    return { outcome: 'never_approved', totalScore: null, grade: null, recordSha256: null };
  }

  // 亮诺: publish, let the window close by itself. The notice PDF renders alongside.
  await recorded();
  await enterGate('show');
  const from = Date.now();
  const to = from + plan.publicationDays * DAY_MS;
  publication = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), closed: false };
  const { notice } = await acts.publishCommitments({ setId, version: state.approvedVersion!, from: publication.from, to: publication.to });
  const noticeRendered = notice ? renderAndRecord(notice) : Promise.resolve(null);

  // 践诺 runs alongside the end of the publication window: reminders before each item's
  // deadline, escalation after it, recomputed whenever an item is filed or a change approved.
  const handled = new Set<string>();
  const practiceEnd = Math.max(Date.parse(plan.practiceEnd), Date.parse(plan.evaluationStart));
  let practiceEntered = false;
  for (;;) {
    const now = Date.now();
    if (!publication.closed && now >= to) {
      await acts.closePublication({ setId });
      publication = { ...publication, closed: true };
    }
    if (!practiceEntered && publication.closed) {
      practiceEntered = true;
      await enterGate('practice');
    }
    const due = takeDueAlarms(pendingAlarms(state.items, plan.itemReminderDays, handled), now);
    for (const alarm of due.send) {
      if (alarm.kind === 'remind') await acts.sendReminder({ setId, subject: 'item', itemKey: alarm.itemKey, daysBefore: alarm.daysBefore, ...nowIfPatched() });
      else {
        await acts.escalate({ setId, subject: 'item', itemKey: alarm.itemKey, reviewPending: false });
        escalations.push(`item:${alarm.itemKey}@${new Date(now).toISOString()}`);
      }
    }
    due.handled.forEach((id) => handled.add(id));
    if (now >= practiceEnd && publication.closed) break;
    const next = pendingAlarms(state.items, plan.itemReminderDays, handled)[0]?.at ?? Infinity;
    // Once practice has ended, only the publication window's close is left to wait for: waiting
    // for the past practice end again would spin without ever yielding (a window outlasting practice).
    const wakeAt = Math.min(next, now >= practiceEnd ? Infinity : practiceEnd, publication.closed ? Infinity : to);
    const revision = state.revision;
    await waitUntil(wakeAt, () => state.revision !== revision);
  }

  // 评诺: self-evaluation, survey, scoring, the evaluator's sign-off, then the countersignature.
  // A change submitted but not reviewed by now lapses: the approved version is evaluated.
  if (state.setStatus === 'submitted') state.setStatus = 'approved';
  await enterGate('evaluate');
  await acts.openEvaluation({ setId });
  const signed = () => (variant === 'resident_unit' ? state.factualEvaluatedBy !== null : state.evaluatorSignedBy !== null);
  const evaluationEnd = Date.parse(plan.evaluationEnd);
  if (!(await waitUntil(evaluationEnd - EVALUATION_REMINDER_DAYS * DAY_MS, signed))) {
    // Patched: reaching 评诺 after its end (a worker back late) goes straight to the escalation.
    const stillAhead = Date.now() < evaluationEnd;
    if (!patched(LATE_ALARMS_ONCE) || stillAhead) await acts.sendReminder({ setId, subject: 'evaluation', itemKey: null, daysBefore: EVALUATION_REMINDER_DAYS, ...nowIfPatched() });
  }
  if (!(await waitUntil(evaluationEnd, signed))) {
    await acts.escalate({ setId, subject: 'evaluation', itemKey: null, reviewPending: false });
    escalations.push(`evaluation@${new Date(Date.now()).toISOString()}`);
  }
  await condition(() => state.countersignedBy !== null);
  await recorded();
  if (variant === 'resident_unit') {
    // 写实评价: filed, sent to the unit's superior Party organization, its PDF rendered.
    const sent = await acts.fileFactualEvaluation({ setId });
    const sha256 = sent.record ? await renderAndRecord(sent.record) : sent.recordSha256;
    await enterGate('filed');
    await noticeRendered;
    await condition(allHandlersFinished);
    return { outcome: 'filed', totalScore: null, grade: null, recordSha256: sha256 };
  }
  const filed = await acts.fileEvaluationRecord({ setId, weights: plan.weights });
  const recordSha256 = filed.record ? await renderAndRecord(filed.record) : filed.recordSha256;
  await enterGate('filed');
  await noticeRendered;
  await condition(allHandlersFinished);
  return { outcome: 'filed', totalScore: filed.totalScore, grade: filed.grade, recordSha256 };
}
