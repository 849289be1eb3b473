// An answer to a public survey, admitted inside the transaction that records it for the cycle:
// the answers must fit the questionnaire, and in a survey answered with codes the code must be
// one of its own and unused. Spending the code is a conditional update, so two answers racing
// with one code leave exactly one response.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { clockOf } from '../../../domain/clock.ts';
import { badRequest, conflict } from '../../../domain/errors.ts';
import type { Answers, SurveyPurpose } from '../../../domain/surveys/contracts.ts';
import { answerErrors, normalizeCode } from '../../../domain/surveys/rules.ts';
import { ensureSurvey } from './surveys.ts';

export interface SurveyAnswer {
  answers: Answers;
  code?: string;
}

/** Checks and records one response; returns the answers as stored. Throws 400/409 naming the field. */
export async function admitAnswer(tx: EntityManager, purpose: SurveyPurpose, subjectId: string, answer: SurveyAnswer): Promise<Answers> {
  const survey = await ensureSurvey(tx, purpose, subjectId);
  const answers: Answers = Object.fromEntries(Object.entries(answer.answers).filter(([, v]) => v !== undefined && v !== null));
  const errors = answerErrors(survey.questionnaire, answers);
  const typed = answer.code?.trim() ? answer.code : undefined;
  if (!typed && survey.mode === 'codes') errors.push({ field: 'body.code', rule: 'is required: this survey is answered with a one-time code' });
  if (errors.length > 0) throw badRequest('the answer does not fit the survey', errors);
  let codeId: string | null = null;
  if (typed) {
    const code = normalizeCode(typed);
    const find = 'select id from survey_code where survey_id = ? and code_hash = ?';
    const [row] = code ? await tx.execute<{ id: string }[]>(find, [survey.id, hashSecret(`${survey.id}:${code}`)]) : [];
    if (!row) throw badRequest('unknown code', [{ field: 'body.code', rule: 'is not a code of this survey' }], 'code_unknown');
    const spend = 'update survey_code set used_at = ? where id = ? and used_at is null returning id';
    const spent = await tx.execute<{ id: string }[]>(spend, [clockOf(tx).now(), row.id]);
    const used = { field: 'body.code', rule: 'has already been used: each code answers once' };
    if (spent.length === 0) throw conflict('this code has already been used', [used], 'code_used');
    codeId = row.id;
  }
  await tx.execute('insert into survey_response (id, survey_id, code_id, answers, created_at) values (?, ?, ?, ?, ?)',
    [randomUUID(), survey.id, codeId, JSON.stringify(answers), clockOf(tx).now()]);
  return answers;
}
