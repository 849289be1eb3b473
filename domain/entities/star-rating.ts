// Records of the star rating (星级评定). One StarEnrolment per rated organization (its
// workflow is `star-rating/<orgId>`); one StarRound per organization and year mirroring where
// the workflow stands (for dashboards); one StarMove per decision on the level — awarded,
// kept, lowered, raised, revoked — with its reason, evidence and who decided, never edited.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Cycle } from './cycle.ts';
import { Organization } from './organization.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';

export const StarEnrolment = defineEntity({
  name: 'StarEnrolment',
  tableName: 'star_enrolment',
  properties: {
    id: uuidKey(),
    organization: () => p.manyToOne(Organization).ref().unique(),
    /** The department's unit that enrolled it; its latest star-rating cycle gives the rules in force. */
    departmentUnit: () => p.manyToOne(AdministrativeUnit).ref().index(),
    cycle: () => p.manyToOne(Cycle).ref().index(),
    firstYear: p.integer(),
    workflowId: p.string().length(200).unique(),
    /** The level in force now (0: none), kept by recordStarMove. */
    currentStars: p.smallint().default(0),
    startedAt: p.datetime().nullable(),
    enrolledBy: () => p.manyToOne(Account).ref().nullable(),
    /** Set when the department ended the rating (dissolved, left the jurisdiction), with its written reason. */
    endedAt: p.datetime().nullable(),
    endReason: p.text().nullable(),
    endedBy: () => p.manyToOne(Account).ref().nullable(),
    createdAt: createdAt(),
  },
});
export type StarEnrolment = InferEntity<typeof StarEnrolment>;

export const StarRound = defineEntity({
  name: 'StarRound',
  tableName: 'star_round',
  properties: {
    id: uuidKey(),
    organization: () => p.manyToOne(Organization).ref(),
    year: p.integer(),
    /** rating (两年一评) or review (一年一审). */
    kind: p.string().length(10),
    phase: p.string().length(30),
    stars: p.smallint(),
    proposedStars: p.smallint().nullable(),
    total: p.double().nullable(),
    /** The workflow's status at `revision` (self-assessment, scores, objections, reviews). */
    status: p.json<unknown>(),
    revision: p.integer(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'star_round_org_year_unique', properties: ['organization', 'year'] }],
  indexes: [{ name: 'star_round_year_phase_idx', properties: ['year', 'phase'] }],
});
export type StarRound = InferEntity<typeof StarRound>;

export const STAR_MOVE_TRIGGERS = ['rating', 'annual_review', 'immediate_review', 'ended'] as const;
export const STAR_MOVE_OUTCOMES = ['awarded', 'kept', 'lowered', 'raised', 'revoked', 'not_rated', 'ended'] as const;

export const StarMove = defineEntity({
  name: 'StarMove',
  tableName: 'star_move',
  properties: {
    id: uuidKey(),
    /** `<orgId>/<year>/<rating|annual-<year>|immediate-<eventId>>`: a retried activity writes once. */
    moveKey: p.string().length(200).unique(),
    organization: () => p.manyToOne(Organization).ref().index(),
    year: p.integer(),
    trigger: p.enum(STAR_MOVE_TRIGGERS),
    outcome: p.enum(STAR_MOVE_OUTCOMES),
    fromStars: p.smallint(),
    toStars: p.smallint(),
    total: p.double().nullable(),
    /** The written reason the organization sees. */
    reason: p.text(),
    eventIds: p.json<string[]>(),
    evidenceFileIds: p.json<string[]>(),
    objectionIds: p.json<string[]>(),
    decidedBy: () => p.manyToOne(Account).ref().nullable(),
    /** A login, or "system" when a proposal applied by rule at its deadline. */
    decidedByLabel: p.string().length(100),
    decidedAt: createdAt(),
    certificateNumber: p.string().length(50).nullable(),
    validUntil: p.string().length(10).nullable(),
    plaqueSha256: p.string().length(64).nullable(),
  },
  indexes: [{ name: 'star_move_year_idx', properties: ['year', 'trigger'] }],
});
export type StarMove = InferEntity<typeof StarMove>;
