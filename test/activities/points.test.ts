// The creditPoints activity other cycles call (grid matters when a resident's matter closes
// satisfied): idempotent by source key, and a refusal that retrying cannot cure fails for good.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { initOrm } from '../../db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { unitMaker } from '../support/fixtures.ts';
import { createPointsActivities } from '../../activities/points.ts';

let db: TestDatabase;
let orm: MikroORM;
let communityId: string;
beforeAll(async () => {
  db = await createTestDatabase('points_acts');
  orm = await initOrm({ url: db.url });
  const em = orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('PD', '积分区', 'district', null);
  communityId = unit('PC', '积分社区', 'community', unit('PS', '积分街道', 'street', district)).id;
  await em.flush();
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

describe('creditPoints activity', () => {
  it('credits a resident once per source, at once for a resolved matter', async () => {
    const { creditPoints } = createPointsActivities({ orm });
    const input = { sourceKey: 'grid-matter/m1/satisfied', holder: { kind: 'resident' as const, phone: '13800001111' }, ruleCode: 'matter_resolved', communityId };
    const first = await creditPoints(input);
    const retried = await creditPoints(input);
    expect(first).toMatchObject({ amount: 5, status: 'confirmed', created: true });
    expect(retried).toEqual({ ...first, created: false });
    const [account] = await (orm.em.fork() as EntityManager).execute<{ balance: number }[]>('select balance from point_account where id = ?', [first.accountId]);
    expect(account!.balance).toBe(5);
  });

  it('an unknown rule fails for good (non-retryable PointsRefused) and writes nothing', async () => {
    const { creditPoints } = createPointsActivities({ orm });
    const failure = await creditPoints({ sourceKey: 'grid-matter/m2/satisfied', holder: { kind: 'resident', phone: '13800001111' }, ruleCode: 'nope', communityId })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'PointsRefused', nonRetryable: true });
    const rows = await (orm.em.fork() as EntityManager).execute('select 1 from point_entry where source_key = ?', ['grid-matter/m2/satisfied']);
    expect(rows).toHaveLength(0);
  });
});
