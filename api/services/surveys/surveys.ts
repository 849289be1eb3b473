// A survey as its managers see it: the questionnaire and mode (changed with an audit row; the
// questions are frozen once anyone has answered, so every tally counts the same questions), and
// the results: responses, codes issued and used, the response rate, each question's tally.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, type Principal } from '../../../domain/auth/principal.ts';
import { clockOf } from '../../../domain/clock.ts';
import { badRequest, conflict } from '../../../domain/errors.ts';
import {
  defaultQuestionnaire, FIXED_QUESTIONNAIRE_PURPOSES, PURPOSE_SUBJECTS, type Answers, type Questionnaire, type SurveyMode, type SurveyPurpose,
} from '../../../domain/surveys/contracts.ts';
import { awarenessRate, questionnaireErrors, responseRate, tally } from '../../../domain/surveys/rules.ts';
import { managedSubject } from './subjects.ts';

export interface SurveyRow {
  id: string;
  purpose: SurveyPurpose;
  subject_id: string;
  mode: SurveyMode;
  questionnaire: Questionnaire;
  audience: number | null;
  updated_at: Date;
}

/** The survey of a record, or null while nobody has saved it, given it codes or answered it. */
export async function findSurvey(em: EntityManager, purpose: SurveyPurpose, subjectId: string): Promise<SurveyRow | null> {
  const [row] = await em.execute<SurveyRow[]>('select * from survey where purpose = ? and subject_id = ?', [purpose, subjectId]);
  return row ?? null;
}

/**
 * The survey of a record, its row made with the defaults the first time something is written to it
 * (settings saved, codes issued, an answer): reads answer the defaults without writing (surveyOrDefaults).
 */
export async function ensureSurvey(em: EntityManager, purpose: SurveyPurpose, subjectId: string): Promise<SurveyRow> {
  const now = clockOf(em).now();
  await em.execute(
    `insert into survey (id, purpose, subject_id, mode, questionnaire, created_at, updated_at) values (?, ?, ?, 'open', ?, ?, ?)
       on conflict (purpose, subject_id) do nothing`,
    [randomUUID(), purpose, subjectId, JSON.stringify(defaultQuestionnaire(purpose)), now, now],
  );
  return (await findSurvey(em, purpose, subjectId))!;
}

/** What a survey not yet written looks like: open, the purpose's default questions, no id. */
type SurveyView = Omit<SurveyRow, 'id' | 'updated_at'> & { id: string | null; updated_at: Date | null };
async function surveyOrDefaults(em: EntityManager, purpose: SurveyPurpose, subjectId: string): Promise<SurveyView> {
  const row = await findSurvey(em, purpose, subjectId);
  return row ?? { id: null, purpose, subject_id: subjectId, mode: 'open', questionnaire: defaultQuestionnaire(purpose), audience: null, updated_at: null };
}

/** What a public page shows of a survey before anyone answers: the questions and whether a code is asked. */
export async function publicSurvey(em: EntityManager, purpose: SurveyPurpose, subjectId: string) {
  const survey = await surveyOrDefaults(em, purpose, subjectId);
  return { mode: survey.mode, questions: survey.questionnaire.questions };
}

async function results(em: EntityManager, survey: SurveyView) {
  const ofSurvey = <T>(sql: string) => (survey.id ? em.execute<T[]>(sql, [survey.id]) : Promise.resolve([] as T[]));
  const responses = (await ofSurvey<{ answers: Answers }>('select answers from survey_response where survey_id = ?')).map((r) => r.answers);
  const [codes = { issued: '0', used: '0', sent: '0' }] = await ofSurvey<{ issued: string; used: string; sent: string }>(
    `select count(*) as issued, count(s.used_at) as used, count(coalesce(s.sent_at, d.sent_at)) as sent
       from survey_code s left join notification_delivery d on d.survey_code_id = s.id where s.survey_id = ?`);
  const issued = Number(codes.issued);
  // With codes the audience is the codes handed out; in an open survey, the number the managers gave.
  const audience = survey.mode === 'codes' && issued > 0 ? issued : survey.audience;
  return {
    responses: responses.length,
    codes: { issued, used: Number(codes.used), sent: Number(codes.sent) },
    audience,
    responseRate: responseRate(responses.length, audience),
    awarenessRate: survey.purpose === 'commitment_awareness' ? awarenessRate(responses) : null,
    questions: tally(survey.questionnaire, responses),
  };
}

const dto = (survey: SurveyView, label: string) => ({
  id: survey.id,
  purpose: survey.purpose,
  subjectId: survey.subject_id,
  title: PURPOSE_SUBJECTS[survey.purpose].title,
  subject: label,
  mode: survey.mode,
  audience: survey.audience,
  questionnaire: survey.questionnaire,
  updatedAt: survey.updated_at ? new Date(survey.updated_at).toISOString() : null,
});

export async function readSurvey(em: EntityManager, principal: Principal, purpose: SurveyPurpose, subjectId: string) {
  const subject = await managedSubject(em, principal, purpose, subjectId);
  const survey = await surveyOrDefaults(em, purpose, subjectId);
  return { ...dto(survey, subject.label), results: await results(em, survey) };
}

/** The questions in one key order (jsonb does not keep the order they were written in). */
const canonical = (q: Questionnaire) => JSON.stringify(q.questions.map((x) => [x.key, x.text, x.kind, x.required, x.options ?? null]));

export interface SurveySettings {
  mode: SurveyMode;
  audience: number | null;
  questionnaire: Questionnaire;
}

export async function saveSurvey(em: EntityManager, principal: Principal, purpose: SurveyPurpose, subjectId: string, body: SurveySettings) {
  const subject = await managedSubject(em, principal, purpose, subjectId);
  if (FIXED_QUESTIONNAIRE_PURPOSES.includes(purpose)) {
    throw badRequest('this survey asks the questions of its assessment scheme', [
      { field: 'body.questionnaire', rule: 'is the assessment scheme\'s residents\' indicators: change the scheme, not the survey' }]);
  }
  const questionnaire: Questionnaire = {
    questions: body.questionnaire.questions.map((q) => ({
      key: q.key, text: q.text.trim(), kind: q.kind, required: q.required, ...(q.kind === 'choice' ? { options: (q.options ?? []).map((o) => o.trim()) } : {}),
    })),
  };
  const errors = questionnaireErrors(purpose, { questions: body.questionnaire.questions });
  if (errors.length > 0) throw badRequest('the questionnaire cannot be used', errors);
  await em.transactional(async (tx) => {
    const survey = await ensureSurvey(tx, purpose, subjectId);
    await tx.execute('select id from survey where id = ? for update', [survey.id]);
    const [answered] = await tx.execute<{ n: string }[]>('select count(*) as n from survey_response where survey_id = ?', [survey.id]);
    const changed = canonical(questionnaire) !== canonical(survey.questionnaire);
    if (Number(answered!.n) > 0 && changed) {
      throw conflict(`${answered!.n} people have answered: the questions can no longer change`, [
        { field: 'body.questionnaire', rule: 'must stay as it is once the survey has answers' },
      ], 'survey_answered');
    }
    await tx.execute('update survey set mode = ?, audience = ?, questionnaire = ?, updated_at = ?, updated_by = ? where id = ?',
      [body.mode, body.audience, JSON.stringify(questionnaire), clockOf(tx).now(), principal.accountId, survey.id]);
    await recordAudit(tx, {
      actor: auditActor(principal), action: 'survey.settings', entityType: 'survey', entityId: survey.id,
      before: { mode: survey.mode, audience: survey.audience, questions: survey.questionnaire.questions.length },
      after: { mode: body.mode, audience: body.audience, questions: questionnaire.questions.length, subject: subject.label },
    });
  });
  return readSurvey(em, principal, purpose, subjectId);
}
