// Reads of the star rating's records that the API and the activities share (never bundled
// into the workflow): the department's cycle in force, and the public 公示 link's token.
import type { EntityManager } from '@mikro-orm/postgresql';
import { derivedLinkToken } from '../auth/access-links.ts';
import { Cycle } from '../entities/cycle.ts';
import { STAR_OBJECTIONS } from './contracts.ts';

/**
 * The department's latest star-rating cycle up to a year: its settings, indicator system and
 * incentive list are the rules in force for rounds that start from then (any year by default).
 */
export async function starCycleInForce(em: EntityManager, departmentUnitId: string, year = 9999): Promise<Cycle | null> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from cycle where type = 'star_rating' and year <= ? and scope->'unitIds' @> ?::jsonb order by year desc, created_at desc limit 1`,
    [year, JSON.stringify([departmentUnitId])],
  );
  return rows[0] ? em.findOne(Cycle, { id: rows[0].id }, { populate: ['catalogVersion', 'incentiveCatalogVersion'] }) : null;
}

/**
 * The unguessable token of a round's public objection link: derived (HMAC) from the round's id,
 * so the activity that opens the window and the API that shows the link compute the same token
 * while the database keeps only its hash.
 */
export const starObjectionToken = (em: EntityManager, roundId: string) => derivedLinkToken(em, STAR_OBJECTIONS, roundId);
