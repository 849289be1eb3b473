// Schemas of the residents' source of rounds (issue 19): codes per assessed subject (slips as Excel, or one subject's
// codes, a roster's by SMS), the response rates, the 线下 paper questionnaires, and the public page's code, questions and answer.
import Type from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';
import { Answers, AnswerCode, Question } from './surveys.ts';

export const SlipsBody = Type.Object({
  count: Type.Integer({ description: 'codes per assessed subject' }),
  subjectIds: Type.Optional(Type.Array(Uuid, { maxItems: 5000, description: 'the assessed to issue for (all of the round when absent)' })),
}, { additionalProperties: false, examples: [{ count: 30 }] });

export const OfflineResidentsBody = Type.Object({
  respondents: Type.Integer({ description: 'people who answered on paper' }),
  means: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Number(), { description: 'per survey indicator, their mean answer 1–5' })),
  votes: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Array(Type.Integer(), { maxItems: 10 }),
    { description: 'per vote indicator, the votes of each option in order' })),
  note: Type.String({ maxLength: 500, description: 'where the answers come from (e.g. 居民代表会议纸质问卷)' }),
}, { additionalProperties: false });

const Tally = Type.Object({
  answered: Type.Integer(), offline: Type.Integer(),
  means: Type.Record(Type.String(), Nullable(Type.Number())), votes: Type.Record(Type.String(), Type.Array(Type.Integer())),
});

export const ResidentsOverview = Type.Object({
  roundId: Uuid,
  codes: Type.Boolean({ description: 'residents answer this round with codes (the department\'s typed residents\' filings are refused)' }),
  open: Type.Boolean({ description: 'answers are taken (scoring is open)' }),
  path: Type.String({ description: 'the public page residents answer on' }),
  indicators: Type.Array(Type.Object({
    key: Type.String(), name: Type.String(), rule: Type.Enum(['survey', 'vote']), question: Nullable(Type.String()), options: Type.Array(Type.String()),
  })),
  subjects: Type.Array(Type.Object({
    subjectId: Uuid, name: Type.String(), unitName: Type.String(),
    issued: Type.Integer(), sent: Type.Integer(), answered: Type.Integer(),
    responseRate: Nullable(Type.Number({ description: 'answers / codes issued, percent with one decimal' })),
    offline: Nullable(Type.Object({
      respondents: Type.Integer(), means: Type.Record(Type.String(), Type.Number()), votes: Type.Record(Type.String(), Type.Array(Type.Integer())),
      note: Type.String(), enteredBy: Type.String(), enteredAt: DateTime,
    })),
    // Counted when scoring closed: answers and 线下, the mean per survey indicator, the votes per option.
    tally: Nullable(Tally),
  })),
});

export const PublicRoundParams = Type.Object({ id: Uuid });
export const ResidentsRound = Type.Object({ scheme: Type.String(), unit: Type.String(), period: Type.String(), open: Type.Boolean() });
export const CodeBody = Type.Object({ code: AnswerCode }, { additionalProperties: false });
export const CodeQuestions = Type.Object({ subject: Type.String(), questions: Type.Array(Question) });
export const ResidentsAnswer = Type.Object({ code: AnswerCode, answers: Answers }, { additionalProperties: false });
export const ResidentsThanks = Type.Object({ thanks: Type.Boolean() });
