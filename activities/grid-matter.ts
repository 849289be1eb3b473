// Activities of the grid matter workflow: they write what the workflow decided (each step's
// state on the matter's row, an audit entry, the notices to whoever must act next) and credit
// the reporter's points when an identified resident's matter closes satisfied. Idempotent: a
// step is written only when its revision is newer than the row's, so a retry changes nothing twice.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR, PUBLIC_LINK_ACTOR } from '../domain/audit/record.ts';
import { notify } from '../domain/notifications/notify.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { assigneeLevel, LEVEL_NAMES, LEVELS, unitAtLevel, type ResponderKind } from '../domain/grid-matter/rules.ts';
import type { Actor, GridMatterState } from '../domain/grid-matter/state.ts';
import { dispatchNotice, handlersOf, matterLabel } from '../domain/grid-matter/dispatch.ts';
import { creditResidentPointsInLedger, type PointsCredit } from './grid-matter-points.ts';

export type MatterStep =
  | 'dispatched' | 'reminded' | 'climbed' | 'overdue_at_top' | 'accepted' | 'answered' | 'rated' | 'merged' | 'absorbed' | 'closed_unrated';

export interface MatterStepInput {
  matterId: string;
  number: string;
  step: MatterStep;
  actor: Actor | null;
  state: GridMatterState;
  detail: Record<string, unknown>;
  /** Workflow time of the step. */
  at: number;
  /** A rating that closed the matter: credit the reporter's 文明积分 after the step is written (idempotent, as creditResidentPoints). */
  credit?: boolean;
}

interface MatterRow {
  id: string;
  number: string;
  revision: number;
  level: number;
  status: string;
  path: string;
  grid_name: string;
  category_name: string;
  responder_kind: ResponderKind;
  responder_id: string | null;
  reporter_account_id: string | null;
  assignee_unit_id: string;
  member_account_ids: string[] | null;
}

export interface GridMatterActivityDeps {
  orm: MikroORM;
  clock?: Clock;
  /** What credits 文明积分; default: the points ledger (grid-matter-points.ts). */
  creditPoints?: (em: EntityManager, credit: PointsCredit) => Promise<'credited' | 'already'>;
}

const STEP_TITLES: Record<MatterStep, string> = {
  dispatched: '新的网格事项', reminded: '网格事项即将超时', climbed: '网格事项升级督办', overdue_at_top: '网格事项县级超时',
  accepted: '网格事项已受理', answered: '网格事项已答复', rated: '网格事项已评价', merged: '网格事项已合并', absorbed: '网格事项合并重复件',
  closed_unrated: '网格事项已办结',
};

export function createGridMatterActivities(deps: GridMatterActivityDeps) {
  const clock = deps.clock ?? clockOf(deps.orm.em);
  const fork = () => deps.orm.em.fork() as EntityManager;
  const creditPoints = deps.creditPoints ?? creditResidentPointsInLedger;

  /** Writes one step of a matter: its row from the workflow's state, the audit entry, the notices. */
  async function writeStep(input: MatterStepInput): Promise<void> {
    const em = fork();
    await em.transactional(async (tx) => {
      const [row] = await tx.execute<MatterRow[]>(
        `select m.id, m.number, m.revision, m.level, m.status, u.path, u.name grid_name, m.category_name, m.responder_kind, m.responder_id,
                m.reporter_account_id, m.assignee_unit_id, r.member_account_ids
           from grid_matter m join administrative_unit u on u.id = m.grid_id left join grid_responder r on r.id = m.responder_id
          where m.id = ? for update of m`,
        [input.matterId],
      );
      if (!row) throw new Error(`grid matter ${input.matterId} does not exist`);
      if (row.revision >= input.state.revision) return;
      const s = input.state;
      const at = new Date(input.at);
      const assignee = unitAtLevel(row.path, assigneeLevel(row.responder_kind, s.level));
      const set: Record<string, unknown> = {
        status: s.status, level: s.level, deadline_at: new Date(s.deadlineAt), reopened: s.reopened, climbs: s.climbs, overdue_at_top: s.overdueAtTop,
        rating: s.rating, closed_at: s.closedAt ? new Date(s.closedAt) : null, duplicate_count: s.duplicates.length, revision: s.revision,
        assignee_unit_id: assignee, updated_at: clock.now(),
      };
      if (input.step === 'reminded') set.reminded_at = at;
      if (input.step === 'accepted') Object.assign(set, { accepted_at: at, accepted_by: input.actor?.accountId ?? null });
      if (input.step === 'answered') {
        Object.assign(set, { answer: input.detail.text, answer_photo_ids: JSON.stringify(input.detail.photoIds ?? []), answered_at: at,
          answered_by: input.actor?.accountId ?? null });
      }
      if (input.step === 'rated') Object.assign(set, { rating_comment: input.detail.comment ?? null, rated_at: at });
      if (input.step === 'rated' && s.status === 'open') Object.assign(set, { accepted_at: null, accepted_by: null });
      if (input.step === 'climbed') Object.assign(set, { accepted_at: null, accepted_by: null });
      if (input.step === 'merged') set.merged_into_id = input.detail.intoId;
      const columns = Object.keys(set);
      await tx.execute(`update grid_matter set ${columns.map((c) => `"${c}" = ?`).join(', ')} where id = ?`, [...columns.map((c) => set[c]), row.id]);
      // Who must act next hears of it: the unit the matter is now with (and a registered responder's members).
      const where = matterLabel({ gridName: row.grid_name, categoryName: row.category_name, number: row.number });
      const handlers = () => handlersOf(tx, assignee, s.level === 0 || assignee === row.assignee_unit_id ? (row.member_account_ids ?? []) : []);
      let recipients: string[] = [];
      let body = '';
      if (input.step === 'dispatched' || input.step === 'reminded' || input.step === 'climbed' || (input.step === 'rated' && s.status === 'open')) {
        recipients = await handlers();
        const due = new Date(s.deadlineAt).toISOString();
        body = input.step === 'climbed'
          ? `${where} 在${LEVEL_NAMES[LEVELS[Number(input.detail.from ?? s.level - 1)] ?? 'grid']}逾期未办结，已升级至${LEVEL_NAMES[LEVELS[s.level]!]}，请于 ${due} 前办理。`
          : input.step === 'rated'
            ? `${where} 的办理结果群众不满意，已${s.lastOutcome === 'climbed' ? `升级至${LEVEL_NAMES[LEVELS[s.level]!]}` : '重新交办'}，请于 ${due} 前办理。`
            : dispatchNotice(where, s.deadlineAt);
      } else if (input.step === 'overdue_at_top') {
        recipients = await handlersOf(tx, assignee);
        body = `${where} 已超过县级办理时限仍未答复。`;
      } else if (input.step === 'answered' && row.reporter_account_id) {
        recipients = [row.reporter_account_id];
        body = `${where} 已答复：${String(input.detail.text).slice(0, 200)}`;
      }
      for (const recipientAccountId of recipients) {
        notify(tx, { recipientAccountId, kind: `grid_matter_${input.step}`, title: STEP_TITLES[input.step], body, link: `/grid-desk/${row.id}` });
      }
      await tx.flush();
      // Last, so the audit log's lock (one writer at a time, held until commit) is held only for its own rows.
      const actor = input.actor ? { accountId: input.actor.accountId, label: input.actor.login } : input.step === 'rated' ? PUBLIC_LINK_ACTOR : SYSTEM_ACTOR;
      await recordAudit(tx, {
        actor,
        action: `grid_matter.${input.step}`,
        entityType: 'grid_matter',
        entityId: row.id,
        before: { status: row.status, level: row.level },
        after: { number: row.number, status: s.status, level: s.level, deadlineAt: new Date(s.deadlineAt).toISOString(), outcome: s.lastOutcome,
          ...input.detail },
      });
    });
  }

  const activities = {
    /** Writes one step of a matter: its row from the workflow's state, the audit entry, the notices (and the points a closing rating earns). */
    async recordMatterStep(input: MatterStepInput): Promise<void> {
      await writeStep(input);
      if (input.credit) await activities.creditResidentPoints({ matterId: input.matterId, number: input.number });
    },

    /** 文明积分: a matter reported by an identified resident closed satisfied credits the resident once (keyed by the matter). */
    async creditResidentPoints(input: { matterId: string; number: string }): Promise<'credited' | 'already' | 'not_eligible'> {
      const em = fork();
      const [row] = await em.execute<{ source: string; reporter_phone: string | null; points_credited_at: Date | null; community_id: string }[]>(
        'select m.source, m.reporter_phone, m.points_credited_at, coalesce(g.parent_id, g.id) community_id from grid_matter m join administrative_unit g on g.id = m.grid_id where m.id = ?',
        [input.matterId],
      );
      if (!row || row.source !== 'resident' || !row.reporter_phone) return 'not_eligible';
      if (row.points_credited_at) return 'already';
      const result = await creditPoints(em, {
        sourceKey: `grid-matter/${input.matterId}/satisfied`, phone: row.reporter_phone, communityId: row.community_id, memo: `网格事项 ${input.number} 办结（满意）`,
      });
      {
        await em.transactional(async (tx) => {
          const updated = await tx.execute<{ id: string }[]>(
            'update grid_matter set points_credited_at = ? where id = ? and points_credited_at is null returning id', [clock.now(), input.matterId]);
          if (updated.length === 0) return;
          await recordAudit(tx, { actor: SYSTEM_ACTOR, action: 'grid_matter.points_credited', entityType: 'grid_matter', entityId: input.matterId,
            after: { phone: row.reporter_phone } });
        });
      }
      return result;
    },
  };
  return activities;
}

export type GridMatterActivities = ReturnType<typeof createGridMatterActivities>;
