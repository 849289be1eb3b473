// A delete refused by a foreign key (the record is still referenced, e.g. by a cycle's rows)
// is a 409 that names the rule, not a 500.
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { conflict } from '../../domain/errors.ts';

export async function refuseIfReferenced<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ForeignKeyConstraintViolationException) {
      throw conflict(`the ${what} is still referenced by other records`, [
        { field: 'params.id', rule: `must not be referenced by other records (${what} in use)` },
      ]);
    }
    throw error;
  }
}
