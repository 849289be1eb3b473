// What an evaluator (考核组/评审人) may act on: one row per subject (an organization, a
// commitment set, a posting...). Cycle code assigns; `requireAssignment` checks.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Cycle } from './cycle.ts';
import { createdAt, uuidKey } from './common.ts';

export const EvaluatorAssignment = defineEntity({
  name: 'EvaluatorAssignment',
  tableName: 'evaluator_assignment',
  properties: {
    id: uuidKey(),
    account: () => p.manyToOne(Account).ref().deleteRule('cascade'),
    subjectType: p.string().length(50),
    subjectId: p.uuid(),
    cycle: () => p.manyToOne(Cycle).ref().nullable().index(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'evaluator_assignment_subject_unique', properties: ['account', 'subjectType', 'subjectId'] }],
});
export type EvaluatorAssignment = InferEntity<typeof EvaluatorAssignment>;
