// Schemas of surveys (issue 19 item 4): the questionnaire, the answers a public page sends, the
// codes issued, and a survey with its results as its managers read it.
import Type from 'typebox';
import { MAX_CODES_PER_BATCH, QUESTION_KINDS, SURVEY_MODES, SURVEY_PURPOSES } from '../../domain/surveys/contracts.ts';
import { MAX_QUESTIONS } from '../../domain/surveys/rules.ts';
import { DateTime, Nullable, Uuid } from './common.ts';

export const Question = Type.Object({
  key: Type.String({ maxLength: 30 }),
  text: Type.String({ maxLength: 200 }),
  kind: Type.Enum([...QUESTION_KINDS]),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 10 })),
}, { additionalProperties: false });
export const Questionnaire = Type.Object({ questions: Type.Array(Question, { maxItems: MAX_QUESTIONS }) }, { additionalProperties: false });

/** The answers to a survey's questions, by key (a number, a choice, yes/no, text). */
export const Answers = Type.Record(Type.String({ maxLength: 30 }), Type.Union([Type.Number(), Type.String({ maxLength: 1000 }), Type.Boolean()]), {
  examples: [{ rating: 5, comment: '满意' }],
});
/** The one-time code of a survey answered with codes (8 characters; spaces and dashes ignored). */
export const AnswerCode = Type.String({ maxLength: 20, description: 'the one-time code printed on a slip or sent by SMS' });

/** What a public page shows of the survey: its questions, and whether a code is asked. */
export const PublicSurvey = Type.Object({ mode: Type.Enum([...SURVEY_MODES]), questions: Type.Array(Question) });

export const SurveyParams = Type.Object({ purpose: Type.Enum([...SURVEY_PURPOSES]), subjectId: Uuid });

export const SurveySettingsBody = Type.Object({
  mode: Type.Enum([...SURVEY_MODES], { description: 'open: anyone with the link (throttled); codes: each answer spends a one-time code' }),
  audience: Nullable(Type.Integer({
    minimum: 1, maximum: 1_000_000, description: 'how many people are asked (the response rate\'s denominator in an open survey)',
  })),
  questionnaire: Questionnaire,
}, {
  additionalProperties: false,
  examples: [{
    mode: 'codes', audience: null,
    questionnaire: { questions: [
      { key: 'rating', text: '总体评价', kind: 'rating', required: true },
      { key: 'wages', text: '工资是否按时足额发放', kind: 'yes_no', required: true },
      { key: 'comment', text: '意见建议', kind: 'text', required: false },
    ] },
  }],
});

const QuestionTally = Type.Object({
  key: Type.String(), text: Type.String(), kind: Type.Enum([...QUESTION_KINDS]), answered: Type.Integer(), mean: Nullable(Type.Number()),
  counts: Type.Record(Type.String(), Type.Integer()),
});

export const Survey = Type.Object({
  /** null until the survey is first saved, given codes or answered: reading it writes nothing. */
  id: Nullable(Uuid),
  purpose: Type.Enum([...SURVEY_PURPOSES]),
  subjectId: Uuid,
  title: Type.String(),
  subject: Type.String(),
  mode: Type.Enum([...SURVEY_MODES]),
  audience: Nullable(Type.Integer()),
  questionnaire: Questionnaire,
  updatedAt: Nullable(DateTime),
  results: Type.Object({
    responses: Type.Integer(),
    codes: Type.Object({ issued: Type.Integer(), used: Type.Integer(), sent: Type.Integer() }),
    audience: Nullable(Type.Integer()),
    responseRate: Nullable(Type.Number({ description: 'percent, one decimal' })),
    awarenessRate: Nullable(Type.Number({ description: '知晓率 (awareness surveys): percent of yes, one decimal' })),
    questions: Type.Array(QuestionTally),
  }),
});

export const IssueCodesBody = Type.Object({
  count: Type.Optional(Type.Integer({ description: `anonymous codes to print (1–${MAX_CODES_PER_BATCH})` })),
  roster: Type.Optional(Type.Array(Type.Object({ name: Type.String({ maxLength: 100 }), phone: Type.String({ maxLength: 20 }) }, {
    additionalProperties: false,
  }), {
    maxItems: MAX_CODES_PER_BATCH, description: 'one code per person, sent by SMS when send is true',
  })),
  send: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, examples: [{ count: 50 }, { roster: [{ name: '王五', phone: '13800000001' }], send: true }] });

export const IssuedCodes = Type.Object({
  codes: Type.Array(Type.Object({
    serial: Type.Integer(), code: Type.String(), holder: Nullable(Type.String()), phone: Nullable(Type.String()),
    sent: Type.Boolean(), sendError: Nullable(Type.String()),
    queued: Type.Boolean({ description: 'its SMS is in the outbox: it leaves with the next delivery round and is retried on failure' }),
  })),
});

export const CodeList = Type.Object({
  items: Type.Array(Type.Object({
    serial: Type.Integer(), holder: Nullable(Type.String()), phone: Nullable(Type.String()), sentAt: Nullable(DateTime), sendError: Nullable(Type.String()),
    queued: Type.Boolean({ description: 'its SMS waits in the outbox (not yet sent, or being retried)' }), usedAt: Nullable(DateTime),
  })),
});
