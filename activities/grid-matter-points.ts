// Where grid matters meet the points ledger (文明积分, issue 18.4, domain/points/): a matter
// reported by an identified resident that closes satisfied credits the resident the rule
// 'matter_resolved' in the grid's community, keyed by the matter (sourceKey
// `grid-matter/<id>/satisfied`), so a retried activity never credits twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { creditPoints } from '../domain/points/ledger.ts';

export interface PointsCredit {
  /** Idempotency key of the posting: `grid-matter/<matter id>/satisfied`. */
  sourceKey: string;
  /** The resident, by the mobile number they left on the report. */
  phone: string;
  /** The community above the grid (its committee confirms resident points where the rule asks). */
  communityId: string;
  memo: string;
}

/** The ledger's credit (domain/points/ledger.ts creditPoints, the points activity's own code). */
export async function creditResidentPointsInLedger(em: EntityManager, credit: PointsCredit): Promise<'credited' | 'already'> {
  const entry = await creditPoints(em, {
    sourceKey: credit.sourceKey, holder: { kind: 'resident', phone: credit.phone }, ruleCode: 'matter_resolved', communityId: credit.communityId,
      memo: credit.memo,
  });
  return entry.created ? 'credited' : 'already';
}
