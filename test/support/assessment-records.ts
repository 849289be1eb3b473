// An assessment scheme of a district (published as version 1) and a round of it over a street
// with one assessed grid, seeded straight into their tables for the route-authorization test
// (test/api/assessments/ runs them through the API and the workflows).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GRID_WORKER_HALF_YEARLY } from '../../domain/assessment/defaults.ts';

export interface AssessmentRecords { assessmentScheme: string; assessmentRound: string; assessmentSubject: string }

export async function seedAssessment(em: EntityManager, ids: { district: string; street: string; grid: string; tag: string }): Promise<AssessmentRecords> {
  const [scheme, round, subject] = [randomUUID(), randomUUID(), randomUUID()];
  const definition = JSON.stringify({ ...GRID_WORKER_HALF_YEARLY, name: `网格员考核${ids.tag}` });
  await em.execute('insert into assessment_scheme (id, unit_id, draft, latest_version) values (?, ?, ?, 1)', [scheme, ids.district, definition]);
  await em.execute('insert into assessment_scheme_version (scheme_id, version, definition) values (?, 1, ?)', [scheme, definition]);
  await em.execute(`insert into assessment_round (id, scheme_id, version, unit_id, period, period_from, period_to, workflow_id, scoring_due_at, started_at)
    values (?, ?, 1, ?, '2026年上半年', '2026-01-01', '2026-06-30', ?, now() + interval '14 days', now())`, [round, scheme, ids.street, `assessment-round/${round}`]);
  await em.execute('insert into assessment_subject (id, round_id, account_id, unit_id, name, workflow_id) values (?, ?, null, ?, ?, ?)',
    [subject, round, ids.grid, `网格${ids.tag}`, `assessment/${round}/${subject}`]);
  return { assessmentScheme: scheme, assessmentRound: round, assessmentSubject: subject };
}

export const ASSESSMENT_RECORD_PATHS: [RegExp, keyof AssessmentRecords][] = [
  [/^\/assessment-schemes\//, 'assessmentScheme'], [/^\/assessment-rounds\//, 'assessmentRound'],
];

/** Routes naming no record: lists, and creates whose body reaches into the other district. */
export const ASSESSMENT_UNSCOPED: Record<string, ((o: AssessmentRecords & { district: string; street: string }) => unknown) | 'read'> = {
  'GET /assessment-schemes': 'read', 'GET /assessment-rounds': 'read',
  // The rounds the caller was named a voter of (test/api/assessments/ballots.test.ts).
  'GET /assessment-ballots': 'read',
  // 三岗十八级: the grades of people and units under the caller's units only (test/api/assessments/objections.test.ts).
  'GET /assessment-pay-grades': 'read', 'GET /assessment-pay-grades/export': 'read',
  'POST /assessment-schemes': (o) => ({ unitId: o.district, copyOf: o.assessmentScheme }),
  'POST /assessment-rounds': (o) => ({ schemeId: o.assessmentScheme, unitId: o.street, period: '越界', from: '2026-01-01', to: '2026-06-30' }),
};
