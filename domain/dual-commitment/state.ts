// Where one organization's dual commitments stand, and which actions are allowed there.
// The workflow keeps this state and uses `refusal` as the validator of every update, so the
// API learns at once why an action is refused. Deterministic: no dates, no I/O, no imports
// with side effects (it is bundled into the workflow).
import type { CommitmentSide, CommitmentVariant, FulfilmentStatus } from './rules.ts';
import { DAY_MS } from '../time.ts';

export const GATES = ['set', 'show', 'practice', 'evaluate', 'filed'] as const;
/** 定诺, 亮诺, 践诺, 评诺, then filed (备案). */
export type Gate = (typeof GATES)[number];

export type SetStatus = 'drafting' | 'submitted' | 'returned' | 'approved';

/** Who acts, with the roles the API found they hold over this organization. */
export interface Actor {
  accountId: string;
  login: string;
  roles: string[];
}

export interface ItemSummary {
  key: string;
  side: CommitmentSide;
  /** The instant the item is due (end of its deadline day, ISO). */
  dueAt: string;
}

export interface DualCommitmentState {
  /** enterprise: 双向承诺; resident_unit: 四双 with a street/community reviewer and a 写实评价. */
  variant: CommitmentVariant;
  gate: Gate;
  setStatus: SetStatus;
  /** The version waiting for review, if any. */
  submittedVersion: number | null;
  submittedItems: ItemSummary[] | null;
  approvedVersion: number | null;
  /** Items of the approved version, with whether their status has been filed. */
  items: (ItemSummary & { filed: FulfilmentStatus | null })[];
  selfEvaluated: CommitmentSide[];
  scored: boolean;
  evaluatorSignedBy: string | null;
  countersignedBy: string | null;
  /** 四双 only: who wrote the 写实评价 (the street or community Party organization). */
  factualEvaluatedBy: string | null;
  /** Bumped on every accepted action, so waiting loops notice a change. */
  revision: number;
}

export function initialState(variant: CommitmentVariant = 'enterprise'): DualCommitmentState {
  return {
    variant,
    gate: 'set',
    setStatus: 'drafting',
    submittedVersion: null,
    submittedItems: null,
    approvedVersion: null,
    items: [],
    selfEvaluated: [],
    scored: false,
    evaluatorSignedBy: null,
    countersignedBy: null,
    factualEvaluatedBy: null,
    revision: 0,
  };
}

export const SUBMITTER_ROLES = ['enterprise_rep', 'enterprise_party_org'];
/** 社区党委 / 街道党工委 / 组织部 evaluator or the department itself review sets. */
export const REVIEWER_ROLES = ['community_committee', 'street_committee', 'evaluator', 'org_department'];
export const SIDE_ROLE: Record<CommitmentSide, string> = { party: 'enterprise_party_org', enterprise: 'enterprise_rep' };
/** 四双: the street or community Party organization reviews and writes the 写实评价. */
export const RESIDENT_REVIEWER_ROLES = ['community_committee', 'street_committee'];
/** 四双: the party side is the street/community's, the other side the resident unit's (its head or its Party organization). */
export const RESIDENT_SIDE_ROLES: Record<CommitmentSide, string[]> = { party: RESIDENT_REVIEWER_ROLES, enterprise: ['enterprise_rep', 'enterprise_party_org'] };
const SIDE_NAMES: Record<CommitmentVariant, Record<CommitmentSide, string>> = {
  enterprise: { party: 'party', enterprise: 'enterprise' },
  resident_unit: { party: 'street/community', enterprise: 'resident unit' },
};

const sideRoles = (state: DualCommitmentState, side: CommitmentSide): string[] => (state.variant === 'resident_unit' ? RESIDENT_SIDE_ROLES[side] : [SIDE_ROLE[side]]);
const reviewerRoles = (state: DualCommitmentState) => (state.variant === 'resident_unit' ? RESIDENT_REVIEWER_ROLES : REVIEWER_ROLES);

export const FACTUAL_EVALUATION_MAX_LENGTH = 5000;

export type Action =
  | { kind: 'submit'; actor: Actor; version: number; items: ItemSummary[] }
  | { kind: 'review'; actor: Actor; version: number; decision: 'approve' | 'return'; comments: string }
  | { kind: 'fileItemStatus'; actor: Actor; itemKey: string; status: FulfilmentStatus }
  | { kind: 'selfEvaluate'; actor: Actor; side: CommitmentSide }
  | { kind: 'score'; actor: Actor }
  | { kind: 'signOff'; actor: Actor }
  | { kind: 'countersign'; actor: Actor }
  | { kind: 'factualEvaluate'; actor: Actor; text: string; itemStatuses: { itemKey: string; status: FulfilmentStatus }[] };

export const REFUSAL_TYPES = ['WrongRole', 'WrongGate', 'WrongState', 'AlreadyDecided', 'StaleVersion', 'UnknownItem', 'Invalid'] as const;
export type RefusalType = (typeof REFUSAL_TYPES)[number];
export interface Refusal {
  type: RefusalType;
  message: string;
}

const holds = (actor: Actor, roles: readonly string[]) => actor.roles.some((role) => roles.includes(role));
const refuse = (type: RefusalType, message: string): Refusal => ({ type, message });

/** Why the action cannot be taken now, or null when it can. */
export function refusal(state: DualCommitmentState, action: Action): Refusal | null {
  switch (action.kind) {
    case 'submit': {
      if (!holds(action.actor, SUBMITTER_ROLES)) return refuse('WrongRole', 'only the enterprise or its Party organization submits commitments');
      if (state.gate !== 'set' && state.gate !== 'practice') return refuse('WrongGate', `commitments cannot be submitted in gate ${state.gate}`);
      if (state.setStatus === 'submitted') return refuse('WrongState', `version ${state.submittedVersion} is already waiting for review`);
      if (state.gate === 'set' && state.setStatus === 'approved') return refuse('AlreadyDecided', 'the set is already approved');
      const latest = Math.max(state.submittedVersion ?? 0, state.approvedVersion ?? 0);
      if (action.version <= latest) return refuse('StaleVersion', `version ${action.version} is not newer than version ${latest}`);
      if (action.items.length === 0) return refuse('Invalid', 'a set needs commitments');
      return null;
    }
    case 'review': {
      if (!holds(action.actor, reviewerRoles(state))) {
        return refuse('WrongRole', state.variant === 'resident_unit' ? 'only the street or community Party organization reviews a resident unit\'s commitments' : 'only the assigned reviewer approves or returns commitments');
      }
      if (state.setStatus !== 'submitted') {
        return state.setStatus === 'approved' || state.setStatus === 'returned'
          ? refuse('AlreadyDecided', `the set was already ${state.setStatus}`)
          : refuse('WrongState', 'nothing is waiting for review');
      }
      if (state.gate !== 'set' && state.gate !== 'practice') return refuse('WrongGate', `commitments cannot be reviewed in gate ${state.gate}`);
      if (action.version !== state.submittedVersion) return refuse('StaleVersion', `version ${state.submittedVersion} is under review, not ${action.version}`);
      if (action.decision === 'return' && action.comments.trim().length === 0) return refuse('Invalid', 'a return needs comments saying what to revise');
      return null;
    }
    case 'fileItemStatus': {
      if (state.gate !== 'practice' && state.gate !== 'show') return refuse('WrongGate', `evidence is filed while commitments are in force, not in gate ${state.gate}`);
      const item = state.items.find((i) => i.key === action.itemKey);
      if (!item) return refuse('UnknownItem', `no approved commitment ${action.itemKey}`);
      if (!holds(action.actor, sideRoles(state, item.side))) return refuse('WrongRole', `only ${sideRoles(state, item.side).join(' or ')} files the ${SIDE_NAMES[state.variant][item.side]} side's commitments`);
      return null;
    }
    case 'selfEvaluate': {
      if (state.gate !== 'evaluate') return refuse('WrongGate', `self-evaluation is in gate evaluate, not ${state.gate}`);
      if (!holds(action.actor, sideRoles(state, action.side))) return refuse('WrongRole', `only ${sideRoles(state, action.side).join(' or ')} evaluates the ${SIDE_NAMES[state.variant][action.side]} side`);
      if (state.evaluatorSignedBy || state.factualEvaluatedBy) return refuse('AlreadyDecided', 'the evaluation is already signed off');
      return null;
    }
    case 'score': {
      if (state.variant === 'resident_unit') return refuse('WrongState', 'a resident unit\'s commitments are not scored: the street or community writes a factual evaluation (写实评价)');
      if (!holds(action.actor, ['evaluator'])) return refuse('WrongRole', 'only an evaluator scores commitments');
      if (state.gate !== 'evaluate') return refuse('WrongGate', `scoring is in gate evaluate, not ${state.gate}`);
      if (state.evaluatorSignedBy) return refuse('AlreadyDecided', 'the evaluation is already signed off');
      return null;
    }
    case 'signOff': {
      if (state.variant === 'resident_unit') return refuse('WrongState', 'a resident unit\'s evaluation is signed by writing the factual evaluation (写实评价)');
      if (!holds(action.actor, ['evaluator'])) return refuse('WrongRole', 'only an evaluator signs off the evaluation');
      if (state.gate !== 'evaluate') return refuse('WrongGate', `sign-off is in gate evaluate, not ${state.gate}`);
      if (state.evaluatorSignedBy) return refuse('AlreadyDecided', 'the evaluator has already signed off');
      if (!state.scored) return refuse('WrongState', 'score the commitments before signing off');
      return null;
    }
    case 'countersign': {
      if (!holds(action.actor, ['org_department'])) return refuse('WrongRole', 'only the organization department countersigns');
      if (state.gate !== 'evaluate') return refuse(state.gate === 'filed' ? 'AlreadyDecided' : 'WrongGate', state.gate === 'filed' ? 'the record is already filed' : `countersigning is in gate evaluate, not ${state.gate}`);
      if (state.countersignedBy) return refuse('AlreadyDecided', 'already countersigned');
      if (state.variant === 'resident_unit') {
        if (!state.factualEvaluatedBy) return refuse('WrongState', 'the street or community writes the factual evaluation (写实评价) first');
      } else if (!state.evaluatorSignedBy) return refuse('WrongState', 'the evaluator signs off first');
      return null;
    }
    case 'factualEvaluate': {
      if (state.variant !== 'resident_unit') return refuse('WrongState', 'a factual evaluation (写实评价) belongs to the 四双 cycle of a resident unit');
      if (!holds(action.actor, RESIDENT_REVIEWER_ROLES)) return refuse('WrongRole', 'only the street or community Party organization writes the factual evaluation');
      if (state.gate !== 'evaluate') return refuse(state.gate === 'filed' ? 'AlreadyDecided' : 'WrongGate', state.gate === 'filed' ? 'the record is already filed' : `the factual evaluation is written in gate evaluate, not ${state.gate}`);
      if (state.factualEvaluatedBy) return refuse('AlreadyDecided', 'the factual evaluation is already written');
      if (typeof action.text !== 'string' || action.text.trim().length === 0) return refuse('Invalid', 'the factual evaluation needs a text describing the unit\'s participation and fulfilment');
      if (action.text.length > FACTUAL_EVALUATION_MAX_LENGTH) return refuse('Invalid', `the factual evaluation is at most ${FACTUAL_EVALUATION_MAX_LENGTH} characters`);
      const unknown = action.itemStatuses.find((s) => !state.items.some((i) => i.key === s.itemKey));
      if (unknown) return refuse('UnknownItem', `no approved commitment ${unknown.itemKey}`);
      return null;
    }
  }
}

/** Applies an accepted action (call `refusal` first). */
export function apply(state: DualCommitmentState, action: Action): void {
  state.revision += 1;
  switch (action.kind) {
    case 'submit':
      state.setStatus = 'submitted';
      state.submittedVersion = action.version;
      state.submittedItems = action.items;
      return;
    case 'review':
      if (action.decision === 'approve') {
        const previous = new Map(state.items.map((item) => [item.key, item.filed]));
        state.approvedVersion = action.version;
        state.items = (state.submittedItems ?? []).map((item) => ({ ...item, filed: previous.get(item.key) ?? null }));
        state.setStatus = 'approved';
      } else {
        // A change returned during practice leaves the approved version in force.
        state.setStatus = state.approvedVersion !== null ? 'approved' : 'returned';
      }
      state.submittedItems = null;
      return;
    case 'fileItemStatus': {
      const item = state.items.find((i) => i.key === action.itemKey)!;
      item.filed = action.status;
      return;
    }
    case 'selfEvaluate':
      if (!state.selfEvaluated.includes(action.side)) state.selfEvaluated.push(action.side);
      return;
    case 'score':
      state.scored = true;
      return;
    case 'signOff':
      state.evaluatorSignedBy = action.actor.accountId;
      return;
    case 'countersign':
      state.countersignedBy = action.actor.accountId;
      return;
    case 'factualEvaluate':
      state.factualEvaluatedBy = action.actor.accountId;
      return;
  }
}

export interface Alarm {
  id: string;
  kind: 'remind' | 'escalate';
  itemKey: string;
  at: number;
  daysBefore: number;
}

/**
 * Reminders (N days before) and the escalation (at the deadline) of every unfiled item,
 * earliest first, leaving out those already handled.
 */
export function pendingAlarms(items: DualCommitmentState['items'], reminderDays: readonly number[], handled: ReadonlySet<string>): Alarm[] {
  const alarms: Alarm[] = [];
  for (const item of items) {
    if (item.filed) continue;
    const due = Date.parse(item.dueAt);
    for (const days of reminderDays) alarms.push({ id: `remind:${item.key}:${days}`, kind: 'remind', itemKey: item.key, at: due - days * DAY_MS, daysBefore: days });
    alarms.push({ id: `escalate:${item.key}`, kind: 'escalate', itemKey: item.key, at: due, daysBefore: 0 });
  }
  return alarms.filter((a) => !handled.has(a.id)).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/**
 * The alarms due at `now` and what to send: several reminders of one item that fell due
 * together (e.g. the set was approved 5 days before a deadline) collapse into the latest,
 * and a reminder is dropped once its item is already overdue (the escalation says it).
 */
export function takeDueAlarms(pending: readonly Alarm[], now: number): { send: Alarm[]; handled: string[] } {
  const due = pending.filter((a) => a.at <= now);
  const send: Alarm[] = [];
  const byItem = new Map<string, Alarm[]>();
  for (const alarm of due) byItem.set(alarm.itemKey, [...(byItem.get(alarm.itemKey) ?? []), alarm]);
  for (const alarms of byItem.values()) {
    const escalation = alarms.find((a) => a.kind === 'escalate');
    if (escalation) send.push(escalation);
    else send.push(alarms.reduce((a, b) => (a.daysBefore <= b.daysBefore ? a : b)));
  }
  return { send: send.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)), handled: due.map((a) => a.id) };
}

/** Instants (ms) of the reminders before the submission deadline that still lie ahead. */
export function submissionReminders(deadline: string, reminderDays: readonly number[], now: number): { at: number; daysBefore: number }[] {
  const due = Date.parse(deadline);
  return reminderDays
    .map((days) => ({ at: due - days * DAY_MS, daysBefore: days }))
    .filter((r) => r.at > now)
    .sort((a, b) => a.at - b.at);
}

/**
 * When a repeated alarm (a weekly escalation) fires next, after one that was due at `dueAt`
 * fired at `now`: one interval later, or one interval after `now` when it fired late (a cycle
 * started after its deadline, a worker back after weeks), so the intervals already past are
 * never caught up one after another.
 */
export function nextRepeatAfter(dueAt: number, every: number, now: number): number {
  return Math.max(dueAt + every, now + every);
}

/**
 * The reminder to send at once when a cycle starts inside the reminder window: the nearest
 * of those whose time has passed while the deadline still lies ahead (one, never each of
 * them), or null.
 */
export function missedSubmissionReminder(deadline: string, reminderDays: readonly number[], now: number): { daysBefore: number } | null {
  const due = Date.parse(deadline);
  if (now >= due) return null;
  const passed = reminderDays.filter((days) => due - days * DAY_MS <= now);
  return passed.length ? { daysBefore: Math.min(...passed) } : null;
}
