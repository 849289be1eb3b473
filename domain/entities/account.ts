// A login. Roles come from RoleAssignment rows, never from the account itself.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Person } from './person.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';

export const Account = defineEntity({
  name: 'Account',
  tableName: 'account',
  properties: {
    id: uuidKey(),
    login: p.string().length(100).unique(),
    displayName: p.string().length(100),
    /** argon2id hash; never serialized. */
    passwordHash: p.string().length(200).hidden(),
    active: p.boolean().default(true),
    person: () => p.manyToOne(Person).ref().nullable(),
    lastLoginAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Account = InferEntity<typeof Account>;
