// What residents do without an account: report through the grid's QR code link (anonymous, or
// with a mobile number that later earns 文明积分), follow their matter through its own link, and
// rate the answer (satisfied closes it; not satisfied reopens it once, then sends it a level up).
// Rate limits: the throttle of every anonymous route, plus reports per client and hour.
import type { EntityManager } from '@mikro-orm/postgresql';
import { PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { ACCESS_LINK_PREFIX } from '../../../domain/auth/access-links.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { notFound, rateLimited } from '../../../domain/errors.ts';
import { LEVEL_NAMES, LEVELS, type Rating, type Urgency } from '../../../domain/grid-matter/rules.ts';
import { GRID_REPORT_LINK, MATTER_FOLLOW_LINK, rateGridMatter } from '../../../domain/grid-matter/contracts.ts';
import { takeUpdate } from '../../workflow-refusals.ts';
import { isoOf, settingsFor, tellMatter, type GridMatterDeps } from './access.ts';
import { fileMatter } from './report.ts';

/** Reports one client may file in an hour through grid links (a household, not a campaign). */
export const REPORTS_PER_CLIENT_HOUR = 10;

export function createPublicService(deps: GridMatterDeps) {
  /**
   * What a link opens, read with the link in one statement: a link that is unknown, revoked, expired or of another
   * purpose finds nothing (as verifyAccessLink refuses it), and so does a link whose subject is gone.
   */
  const LINK_OK = 'l.token_hash = ? and l.purpose = ? and l.revoked_at is null and l.expires_at > ?';
  const linkParams = (token: string, purpose: string) => [hashSecret(token), purpose, deps.clock.now()];

  async function gridOf(em: EntityManager, token: string) {
    if (!token.startsWith(ACCESS_LINK_PREFIX)) throw notFound('page');
    const [grid] = await em.execute<{ id: string; name: string; path: string; level: string; community: string | null }[]>(
      `select g.id, g.name, g.path, g.level, c.name community from access_link l
         join administrative_unit g on g.id = l.subject_id left join administrative_unit c on c.id = g.parent_id where ${LINK_OK}`,
      linkParams(token, GRID_REPORT_LINK),
    );
    if (!grid) throw notFound('page');
    return grid;
  }

  async function reportPage(em: EntityManager, token: string) {
    const grid = await gridOf(em, token);
    const buildings = await em.execute<{ name: string }[]>('select name from grid_building where grid_id = ? order by name', [grid.id]);
    const { settings } = await settingsFor(em, grid.path);
    return { grid: grid.name, community: grid.community, buildings: buildings.map((b) => b.name), categories: settings.categories.map((c) => ({ code: c.code,
      name: c.name })) };
  }

  async function report(em: EntityManager, token: string,
    body: { building?: string | null; category: string; urgency?: Urgency; description: string; phone?: string | null }, client: string) {
    const grid = await gridOf(em, token);
    const since = new Date(deps.clock.now().getTime() - 3_600_000);
    const [{ n }] = (await em.execute<{ n: string }[]>(
      "select count(*) n from grid_matter where reporter_client = ? and created_at > ?",
      [client, since],
    )) as [{ n: string }];
    if (Number(n) >= REPORTS_PER_CLIENT_HOUR) throw rateLimited(`at most ${REPORTS_PER_CLIENT_HOUR} reports an hour from one client`);
    const filed = await fileMatter(deps, em, { ...PUBLIC_LINK_ACTOR }, {
      gridId: grid.id, building: body.building, category: body.category, urgency: body.urgency, description: body.description,
      source: 'resident', reporterAccountId: null, reporterPhone: body.phone, client,
    }, 'body', grid);
    return { number: filed.number, level: filed.level, deadlineAt: filed.deadlineAt, followToken: filed.followToken };
  }

  async function matterOf(em: EntityManager, token: string) {
    if (!token.startsWith(ACCESS_LINK_PREFIX)) throw notFound('matter');
    const [row] = await em.execute<{
      id: string; number: string; workflow_id: string; grid: string; building: string | null; category_name: string; description: string; status: string;
      level: number; deadline_at: Date; answer: string | null; answered_at: Date | null; rating: Rating | null; merged_into: string | null;
      created_at: Date; closed_at: Date | null;
    }[]>(
      `select m.id, m.number, m.workflow_id, g.name grid, m.building, m.category_name, m.description, m.status, m.level, m.deadline_at, m.answer,
              m.answered_at, m.rating, mi.number merged_into, m.created_at, m.closed_at
         from access_link l join grid_matter m on m.id = l.subject_id join administrative_unit g on g.id = m.grid_id
         left join grid_matter mi on mi.id = m.merged_into_id where ${LINK_OK}`,
      linkParams(token, MATTER_FOLLOW_LINK),
    );
    if (!row) throw notFound('matter');
    return row;
  }

  async function follow(em: EntityManager, token: string) {
    const m = await matterOf(em, token);
    const level = LEVELS[m.level]!;
    return {
      number: m.number, grid: m.grid, building: m.building, categoryName: m.category_name, description: m.description, status: m.status as never,
      level, levelName: LEVEL_NAMES[level], deadlineAt: isoOf(m.deadline_at)!, answer: m.answer, answeredAt: isoOf(m.answered_at),
      rating: m.rating, canRate: m.status === 'answered', mergedInto: m.merged_into, createdAt: isoOf(m.created_at)!, closedAt: isoOf(m.closed_at),
    };
  }

  async function rate(em: EntityManager, token: string, body: { rating: Rating; comment?: string | null }) {
    const m = await matterOf(em, token);
    const handle = deps.temporal.workflow.getHandle(m.workflow_id);
    const update = { rating: body.rating, comment: body.comment?.trim() || null };
    const s = await tellMatter(deps.bounds, m.workflow_id, () => takeUpdate(deps.bounds, handle, rateGridMatter, [update]));
    return { number: m.number, status: s.status, level: LEVELS[s.level]!, outcome: s.lastOutcome ?? 'closed' };
  }

  return { reportPage, report, follow, rate };
}
