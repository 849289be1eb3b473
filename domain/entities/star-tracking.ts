// Daily tracking (日常跟踪) of rated organizations, and the incentive measures (激励措施)
// granted and withdrawn with their level.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Organization } from './organization.ts';
import { createdAt, uuidKey } from './common.ts';

export const StarTrackingEvent = defineEntity({
  name: 'StarTrackingEvent',
  tableName: 'star_tracking_event',
  properties: {
    id: uuidKey(),
    organization: () => p.manyToOne(Organization).ref().index(),
    type: p.string().length(50),
    /** YYYY-MM-DD (Shanghai). */
    occurredOn: p.string().length(10),
    summary: p.text(),
    /** The configured effect when recorded. */
    points: p.double(),
    serious: p.boolean(),
    evidenceFileIds: p.json<string[]>(),
    recordedBy: () => p.manyToOne(Account).ref(),
    /** False until the workflow accepted it. */
    accepted: p.boolean().default(false),
    createdAt: createdAt(),
  },
});
export type StarTrackingEvent = InferEntity<typeof StarTrackingEvent>;

export const StarIncentiveGrant = defineEntity({
  name: 'StarIncentiveGrant',
  tableName: 'star_incentive_grant',
  properties: {
    id: uuidKey(),
    organization: () => p.manyToOne(Organization).ref().index(),
    measureCode: p.string().length(20),
    category: p.string().length(10),
    department: p.string().length(50),
    minStars: p.smallint(),
    text: p.text(),
    grantedByMove: p.string().length(200),
    grantedYear: p.integer(),
    grantedAt: createdAt(),
    withdrawnByMove: p.string().length(200).nullable(),
    withdrawnAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'star_incentive_grant_unique', properties: ['organization', 'measureCode', 'grantedByMove'] }],
});
export type StarIncentiveGrant = InferEntity<typeof StarIncentiveGrant>;

/**
 * An objection lodged anonymously through the public 公示 link of a round. Kept for the rate
 * limit (per client hash) and the record; the objection itself goes into the workflow's
 * objections (id = this row's id) and is answered there like any other.
 */
export const StarPublicObjection = defineEntity({
  name: 'StarPublicObjection',
  tableName: 'star_public_objection',
  properties: {
    id: uuidKey(),
    organization: () => p.manyToOne(Organization).ref(),
    year: p.integer(),
    text: p.text(),
    /** SHA-256 of the client address: counts, never identifies. */
    clientHash: p.string().length(64),
    /** False until the workflow accepted it (a window that closed meanwhile refuses it). */
    accepted: p.boolean().default(false),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'star_public_objection_client_idx', properties: ['organization', 'year', 'clientHash', 'createdAt'] }],
});
export type StarPublicObjection = InferEntity<typeof StarPublicObjection>;
