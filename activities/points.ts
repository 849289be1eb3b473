// Activities of points: what another cycle's workflow calls to credit points when something it
// tracks earns them (a resident's matter closed satisfied, a member's service record). Idempotent
// by the source key: a retried activity returns the entry the first attempt posted.
// Writers: point_entry and point_account through domain/points/ledger.ts (the API writes the
// community's confirmations, the shop's goods and exchanges through the same module).
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { isDomainError } from '../domain/errors.ts';
import { creditPoints as postCredit } from '../domain/points/ledger.ts';
import type { CreditPointsInput, PostedEntry } from '../domain/points/contracts.ts';

export function createPointsActivities(deps: { orm: MikroORM }) {
  return {
    /**
     * Credits a rule's points to a member (personId) or resident (phone) in a community, once per
     * sourceKey. An unknown rule, person or community, or a rule for the other kind of holder,
     * fails for good (non-retryable, type PointsRefused) instead of being retried.
     */
    async creditPoints(input: CreditPointsInput): Promise<PostedEntry> {
      const em = deps.orm.em.fork() as EntityManager;
      try {
        return await postCredit(em, input);
      } catch (error) {
        if (isDomainError(error) && error.kind !== 'unavailable') {
          throw ApplicationFailure.nonRetryable(error.message, 'PointsRefused', { code: error.code, details: error.details });
        }
        throw error;
      }
    },
  };
}
