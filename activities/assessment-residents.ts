// The residents' answers of an assessed subject in a round answered with one-time codes (issue 19): when its scoring
// closes, answers stop (residents_closed_at, set under the row lock the public answers take), and the answers with
// the 线下 paper questionnaires become the residents' filings; the tally (means, votes per option) is kept for the
// round page. Rounds without codes return null: their residents' filings are what the department typed.
import type { EntityManager } from '@mikro-orm/postgresql';
import { residentFilings, residentsTally, type OfflineResidents } from '../domain/assessment/residents.ts';
import type { Filing, SchemeDefinition } from '../domain/assessment/rules.ts';
import type { Answers } from '../domain/surveys/contracts.ts';

export async function closeResidents(em: EntityManager, subjectId: string, d: SchemeDefinition, now: Date): Promise<Filing[] | null> {
  const [round] = await em.execute<{ resident_codes: boolean }[]>(
    'select r.resident_codes from assessment_subject s join assessment_round r on r.id = s.round_id where s.id = ?', [subjectId]);
  if (!round?.resident_codes) return null;
  // Closed first, in its own transaction: an answer admitted before it is counted below, none is admitted after it.
  await em.transactional(async (tx) => {
    await tx.execute('select id from assessment_subject where id = ? for update', [subjectId]);
    await tx.execute('update assessment_subject set residents_closed_at = coalesce(residents_closed_at, ?) where id = ?', [now, subjectId]);
  });
  const answers = (await em.execute<{ answers: Answers }[]>(
    `select x.answers from survey_response x join survey v on v.id = x.survey_id where v.purpose = 'assessment_residents' and v.subject_id = ?
      order by x.created_at, x.id`, [subjectId])).map((r) => r.answers);
  const [o] = await em.execute<OfflineResidents[]>('select respondents, means, votes, note from assessment_resident_offline where subject_id = ?', [subjectId]);
  const offline = o ?? null;
  await em.execute('update assessment_subject set residents = ? where id = ?', [JSON.stringify(residentsTally(d, answers, offline)), subjectId]);
  return residentFilings(d, answers, offline);
}
