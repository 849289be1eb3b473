// The state a grid matter's workflow keeps, and the reducer behind its update validators:
// `refusal` says why an action is refused (before anything is written), `apply` changes the
// state. Deterministic (the workflow bundle imports it); time comes in as `now`.
import { ratingOutcome, TOP_LEVEL, type MatterPlan, type MatterStatus, type Rating, type RatingOutcome } from './rules.ts';

/** Who acts, as the API resolved them (the API checks the unit; the workflow the state). */
export interface Actor {
  accountId: string | null;
  login: string;
}

export interface GridMatterState {
  status: MatterStatus;
  /** Index in LEVELS: 0 grid … 3 district. */
  level: number;
  deadlineAt: number;
  reminded: boolean;
  /** Times reopened after an unsatisfied rating (once at a level, then it climbs). */
  reopened: number;
  /** Climbs, whether by an overdue deadline or an unsatisfied rating. */
  climbs: number;
  /** Past the deadline at the top level: nobody is left to escalate to. */
  overdueAtTop: boolean;
  answeredAt: number | null;
  rating: Rating | null;
  lastOutcome: RatingOutcome | null;
  mergedInto: string | null;
  /** Duplicates merged into this matter. */
  duplicates: string[];
  closedAt: number | null;
  /** Changes on every accepted action or timer step: the workflow's loop waits on it. */
  revision: number;
}

export type Action =
  | { kind: 'accept'; actor: Actor }
  | { kind: 'answer'; actor: Actor; text: string }
  | { kind: 'rate'; rating: Rating; comment: string | null }
  | { kind: 'merge'; actor: Actor; into: string; self: string }
  | { kind: 'absorb'; duplicate: string };

export interface Refusal {
  type: 'WrongPhase' | 'Invalid';
  message: string;
}

export function initialState(plan: MatterPlan, now: number): GridMatterState {
  return {
    status: 'open',
    level: plan.startLevel,
    deadlineAt: now + plan.deadlinesMs[plan.startLevel]!,
    reminded: false,
    reopened: 0,
    climbs: 0,
    overdueAtTop: false,
    answeredAt: null,
    rating: null,
    lastOutcome: null,
    mergedInto: null,
    duplicates: [],
    closedAt: null,
    revision: 0,
  };
}

const done = (s: GridMatterState) => s.status === 'closed' || s.status === 'merged';

export function refusal(state: GridMatterState, action: Action): Refusal | null {
  if (done(state) && action.kind !== 'absorb') return { type: 'WrongPhase', message: `the matter is ${state.status === 'merged' ? 'merged into another' : 'closed'}` };
  switch (action.kind) {
    case 'accept':
      return state.status === 'open' ? null : { type: 'WrongPhase', message: `the matter is ${state.status}, only an open matter is accepted` };
    case 'answer':
      if (!action.text.trim()) return { type: 'Invalid', message: 'the answer must say what was done' };
      return state.status === 'open' || state.status === 'accepted' ? null : { type: 'WrongPhase', message: `the matter is ${state.status}, there is nothing to answer` };
    case 'rate':
      return state.status === 'answered' ? null : { type: 'WrongPhase', message: 'only an answered matter is rated, once per answer' };
    case 'merge':
      if (action.into === action.self) return { type: 'Invalid', message: 'a matter is not merged into itself' };
      return state.status === 'answered' ? { type: 'WrongPhase', message: 'an answered matter waits for its rating and is not merged' } : null;
    case 'absorb':
      return done(state) ? { type: 'WrongPhase', message: 'the matter it would be merged into is no longer open' } : null;
  }
}

/** Applies an accepted action at `now` with the matter's plan (deadlines of a reopened or climbed level). */
export function apply(state: GridMatterState, action: Action, plan: MatterPlan, now: number): void {
  state.revision += 1;
  switch (action.kind) {
    case 'accept':
      state.status = 'accepted';
      return;
    case 'answer':
      state.status = 'answered';
      state.answeredAt = now;
      return;
    case 'rate': {
      const outcome = ratingOutcome(action.rating, state.reopened, state.level);
      state.rating = action.rating;
      state.lastOutcome = outcome;
      if (outcome === 'closed' || outcome === 'closed_unsatisfied') {
        state.status = 'closed';
        state.closedAt = now;
        return;
      }
      if (outcome === 'reopened') state.reopened += 1;
      else climb(state, plan, now);
      reopenAt(state, plan, now);
      return;
    }
    case 'merge':
      state.status = 'merged';
      state.mergedInto = action.into;
      state.closedAt = now;
      return;
    case 'absorb':
      if (!state.duplicates.includes(action.duplicate)) state.duplicates.push(action.duplicate);
      return;
  }
}

function reopenAt(state: GridMatterState, plan: MatterPlan, now: number) {
  state.status = 'open';
  state.answeredAt = null;
  state.deadlineAt = now + plan.deadlinesMs[state.level]!;
  state.reminded = false;
  state.overdueAtTop = false;
}

function climb(state: GridMatterState, plan: MatterPlan, now: number) {
  state.level = Math.min(TOP_LEVEL, state.level + 1);
  state.climbs += 1;
  state.deadlineAt = now + plan.deadlinesMs[state.level]!;
  state.reminded = false;
}

/**
 * The deadline passed without an answer: the matter climbs to the next level with that level's
 * deadline (an accepted matter goes back to open there); at the top it stays, marked overdue.
 * Returns whether it climbed.
 */
export function overdue(state: GridMatterState, plan: MatterPlan, now: number): boolean {
  state.revision += 1;
  if (state.level >= TOP_LEVEL) {
    state.overdueAtTop = true;
    return false;
  }
  climb(state, plan, now);
  state.status = 'open';
  return true;
}

/** When the next timer fires while the matter waits for its handler: the reminder, then the deadline. */
export function nextAlarm(state: GridMatterState, plan: MatterPlan): { at: number; kind: 'remind' | 'deadline' } | null {
  if (state.status !== 'open' && state.status !== 'accepted') return null;
  if (state.overdueAtTop) return null;
  const remindAt = state.deadlineAt - plan.reminderBeforeMs;
  if (!state.reminded && plan.reminderBeforeMs > 0) return { at: remindAt, kind: 'remind' };
  return { at: state.deadlineAt, kind: 'deadline' };
}
