// The hook where grid matters meet the points ledger (文明积分, issue 18.4, owned by the points
// lane in domain/points/). A matter reported by an identified resident that closes satisfied
// credits the resident, keyed by the matter so a retry never credits twice. When this was
// written the ledger's idempotent activity was not on main: until it is, this hook credits
// nothing and says so ('no_ledger'); replace its body with the ledger's call, same signature.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface PointsCredit {
  /** Idempotency key of the posting: `grid_matter:<matter id>`. */
  sourceKey: string;
  /** The resident, by the mobile number they left on the report. */
  phone: string;
  /** The grid the matter was reported in (the community that confirms resident points lies above it). */
  unitId: string;
  reason: string;
}

export async function creditResidentPointsHook(_em: EntityManager, _credit: PointsCredit): Promise<'credited' | 'already' | 'no_ledger'> {
  return 'no_ledger';
}
