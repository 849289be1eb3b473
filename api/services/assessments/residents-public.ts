// The residents' public page of a round (issue 19): no account; a resident types the one-time code from a slip or an
// SMS, sees whom it is for and that subject's questions (the scheme's residents' indicators), answers once. A code
// answers once: the spend is a conditional update under the subject's row lock, so doubles, concurrent ones included,
// leave one answer (409 code_used); once scoring has closed for the subject no answer is taken (409 residents_closed).
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { badRequest, conflict, conflictOf, notFound } from '../../../domain/errors.ts';
import type { Answers, Questionnaire } from '../../../domain/surveys/contracts.ts';
import { normalizeCode } from '../../../domain/surveys/rules.ts';
import { admitAnswer } from '../surveys/answers.ts';

const PURPOSE = 'assessment_residents';
const unknownCode = () => badRequest('unknown code', [{ field: 'body.code', rule: 'is not a code of this round' }], 'code_unknown');
const usedCode = () =>
  conflict('this code has already been used', [{ field: 'body.code', rule: 'has already been used: each code answers once' }], 'code_used');

async function roundOf(em: EntityManager, roundId: string) {
  const [round] = await em.execute<{ id: string; stage: string; period: string; unit_name: string; name: string }[]>(
    `select r.id, r.stage, r.period, u.name unit_name, v.definition->>'name' "name" from assessment_round r join administrative_unit u on u.id = r.unit_id
       join assessment_scheme_version v on v.scheme_id = r.scheme_id and v.version = r.version where r.id = ? and r.resident_codes`, [roundId]);
  if (!round) throw notFound('assessment round');
  return round;
}

/** The round as the page first shows it: which assessment, and whether answers are taken. */
export async function residentsRound(em: EntityManager, roundId: string) {
  const round = await roundOf(em, roundId);
  return { scheme: round.name, unit: round.unit_name, period: round.period, open: round.stage === 'scoring' };
}

/** The code's subject among the round's (the code hash is per survey, so each subject's survey is tried). */
async function codeOf(em: EntityManager, roundId: string, typed: string | undefined) {
  const code = normalizeCode(typed ?? '');
  if (!code) throw badRequest('not a code', [{ field: 'body.code', rule: 'must be the 8 letters and digits on the slip or in the SMS' }], 'code_unknown');
  const surveys = await em.execute<{ survey_id: string; subject_id: string; name: string; questionnaire: Questionnaire }[]>(
    `select v.id survey_id, v.subject_id, s.name, v.questionnaire from survey v join assessment_subject s on s.id = v.subject_id
      where v.purpose = ? and s.round_id = ?`, [PURPOSE, roundId]);
  if (!surveys.length) throw unknownCode();
  const hashes = surveys.map((s) => hashSecret(`${s.survey_id}:${code}`));
  const [row] = await em.execute<{ survey_id: string; used_at: Date | null }[]>(
    'select survey_id, used_at from survey_code where survey_id = any(?::uuid[]) and code_hash = any(?::text[])',
    [`{${surveys.map((s) => s.survey_id).join(',')}}`, `{${hashes.join(',')}}`]);
  const survey = row && surveys.find((s) => s.survey_id === row.survey_id);
  if (!row || !survey) throw unknownCode();
  return { code, survey, used: row.used_at !== null };
}

/** A code typed in: whom it is for and the questions, or why it cannot answer (unknown, used, closed). Spends nothing. */
export async function lookupResidentsCode(em: EntityManager, roundId: string, body: { code: string }) {
  const round = await roundOf(em, roundId);
  const { survey, used } = await codeOf(em, roundId, body.code);
  if (used) throw usedCode();
  if (round.stage !== 'scoring') throw conflictOf('residents_closed', 'residents\' answers for this round are closed');
  return { subject: survey.name, questions: survey.questionnaire.questions };
}

/** One resident's answer with a code. */
export async function answerResidents(em: EntityManager, roundId: string, body: { code: string; answers: Answers }) {
  await roundOf(em, roundId);
  const { code, survey } = await codeOf(em, roundId, body.code);
  await em.transactional(async (tx) => {
    const [s] = await tx.execute<{ residents_closed_at: Date | null; stage: string }[]>(
      `select s.residents_closed_at, r.stage from assessment_subject s join assessment_round r on r.id = s.round_id where s.id = ? for update of s`,
      [survey.subject_id]);
    if (s!.residents_closed_at || s!.stage !== 'scoring') throw conflictOf('residents_closed', 'residents\' answers for this round are closed');
    await admitAnswer(tx as EntityManager, PURPOSE, survey.subject_id, { answers: body.answers, code });
  });
  return { thanks: true };
}
