// Derived public-link tokens (domain/auth/access-links.ts): the secret they derive from is
// written once. After the first token, deriving more (the grid-matter report path derives one
// per matter) only reads: it works inside a read-only transaction, leaves the stored secret as
// it was, and gives the same token for the same record every time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const secretRow = async (em: EntityManager) =>
  (await em.execute<{ value: string; xmin: string }[]>("select value, xmin::text xmin from system_setting where key = 'dual_commitment.link_secret'"))[0];

describe('derivedLinkToken', () => {
  it('writes the link secret once; later tokens only read it', async () => {
    const em = app.orm.em.fork() as EntityManager;
    await em.execute("delete from system_setting where key = 'dual_commitment.link_secret'");
    const first = await derivedLinkToken(em, 'grid_matter_follow', 'matter-1');
    const stored = await secretRow(em);
    expect(stored?.value).toEqual(expect.any(String));

    // A write (even an insert that conflicts and does nothing) is refused in a read-only transaction.
    const again = await em.transactional(async (tx) => {
      await tx.execute('set transaction read only');
      return Promise.all([derivedLinkToken(tx, 'grid_matter_follow', 'matter-1'), derivedLinkToken(tx, 'grid_matter_follow', 'matter-2')]);
    });
    expect(again[0]).toBe(first);
    expect(again[1]).not.toBe(first);
    expect(await secretRow(em)).toEqual(stored);
  }, 60_000);

  it('two first calls at once agree on one secret', async () => {
    const em = app.orm.em.fork() as EntityManager;
    await em.execute("delete from system_setting where key = 'dual_commitment.link_secret'");
    const tokens = await Promise.all([1, 2, 3].map(() => derivedLinkToken(app.orm.em.fork() as EntityManager, 'staff_survey', 'set-1')));
    expect(new Set(tokens).size).toBe(1);
  }, 60_000);
});
