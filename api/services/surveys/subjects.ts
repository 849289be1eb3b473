// Which record a survey rates, and whether the caller manages it: the staff of the tree over the
// organization (a set's surveys) or the community (a posting's residents' survey). Anything else
// answers 404, as a record that does not exist.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { requireOrganizationInScope, requireUnitInScope, scopeOf } from '../../../domain/auth/scope.ts';
import { notFound } from '../../../domain/errors.ts';
import { PURPOSE_SUBJECTS, type SurveyPurpose } from '../../../domain/surveys/contracts.ts';

/** Who sets up surveys and reads their results. */
export const SURVEY_MANAGERS: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];

export interface SurveySubject {
  purpose: SurveyPurpose;
  subjectId: string;
  /** Who or what is rated, as the pages name it. */
  label: string;
  /** The administrative unit the subject belongs to (its path): where the department's SMS channel is looked up. */
  unitPath: string;
}

/** The subject of a survey, when it exists (404 otherwise). */
export async function subjectOf(em: EntityManager, purpose: SurveyPurpose, subjectId: string): Promise<SurveySubject & { organizationId: string | null }> {
  if (PURPOSE_SUBJECTS[purpose].subject === 'commitment_set') {
    const [row] = await em.execute<{ org_id: string; name: string; year: number; path: string }[]>(
      `select o.id as org_id, o.name, s.year, u.path from commitment_set s join organization o on o.id = s.organization_id
         join administrative_unit u on u.id = o.unit_id where s.id = ?`, [subjectId]);
    if (!row) throw notFound('survey');
    return { purpose, subjectId, label: `${row.name}（${row.year}年）`, unitPath: row.path, organizationId: row.org_id };
  }
  if (PURPOSE_SUBJECTS[purpose].subject === 'unit') {
    // A street or community: its Party organization is rated.
    const [row] = await em.execute<{ name: string; party_org_name: string; path: string }[]>(
      `select name, party_org_name, path from administrative_unit where id = ? and level in ('street', 'community')`, [subjectId]);
    if (!row) throw notFound('survey');
    return { purpose, subjectId, label: row.party_org_name || row.name, unitPath: row.path, organizationId: null };
  }
  if (PURPOSE_SUBJECTS[purpose].subject === 'organization') {
    const [row] = await em.execute<{ name: string; path: string }[]>(
      `select o.name, u.path from organization o join administrative_unit u on u.id = o.unit_id
        where o.id = ? and o.kind in ('non_public_enterprise', 'social_organization')`, [subjectId]);
    if (!row) throw notFound('survey');
    return { purpose, subjectId, label: row.name, unitPath: row.path, organizationId: subjectId };
  }
  if (PURPOSE_SUBJECTS[purpose].subject === 'assessment_subject') {
    // An assessed person or unit of a round: the round's unit is where its department is (and its SMS channel).
    const [row] = await em.execute<{ name: string; path: string }[]>(
      `select s.name, u.path from assessment_subject s join assessment_round r on r.id = s.round_id
         join administrative_unit u on u.id = r.unit_id where s.id = ?`, [subjectId]);
    if (!row) throw notFound('survey');
    return { purpose, subjectId, label: row.name, unitPath: row.path, organizationId: null };
  }
  const [row] = await em.execute<{ person: string; community: string; path: string }[]>(
    `select pe.name as person, u.name as community, u.path from posting p join person pe on pe.id = p.person_id
       join administrative_unit u on u.id = p.community_id where p.id = ?`, [subjectId]);
  if (!row) throw notFound('survey');
  return { purpose, subjectId, label: `${row.community} · 第一书记 ${row.person}`, unitPath: row.path, organizationId: null };
}

/** The subject, when the caller manages it (404 otherwise, outside the caller's tree included). */
export async function managedSubject(em: EntityManager, principal: Principal, purpose: SurveyPurpose, subjectId: string): Promise<SurveySubject> {
  const subject = await subjectOf(em, purpose, subjectId);
  // An assessment round's residents' codes are the department's (the round's unit under its own).
  const scope = scopeOf(principal, purpose === 'assessment_residents' ? ['org_department'] : SURVEY_MANAGERS);
  if (subject.organizationId) requireOrganizationInScope(scope, { id: subject.organizationId, unitPath: subject.unitPath }, 'survey');
  else requireUnitInScope(scope, subject.unitPath, 'survey');
  return subject;
}
