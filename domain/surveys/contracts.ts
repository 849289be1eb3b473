// Survey integrity (issue 19 item 4): every public rating is a survey with a questionnaire of one
// or more questions and a way of keeping its answers honest. 'open': anyone with the link answers
// (throttled per client, as before); 'codes': each answer spends a one-time code, printed on a slip
// or sent by SMS to a roster, so nobody answers twice and the response rate has a denominator.

/** The public ratings that are surveys: who is rated is the record the purpose names (subjectId). */
export const SURVEY_PURPOSES = ['staff_survey', 'posting_resident_survey', 'commitment_awareness', 'party_org_satisfaction', 'owner_support',
  'assessment_residents'] as const;
export type SurveyPurpose = (typeof SURVEY_PURPOSES)[number];

export const SURVEY_MODES = ['open', 'codes'] as const;
export type SurveyMode = (typeof SURVEY_MODES)[number];

export const QUESTION_KINDS = ['rating', 'score', 'choice', 'yes_no', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface Question {
  /** Stable name of the answer (a-z, digits, _). */
  key: string;
  text: string;
  /** rating: 1–5 stars; score: 0–100; choice: one of `options`; yes_no: true/false; text: free text. */
  kind: QuestionKind;
  required: boolean;
  options?: string[];
}

export interface Questionnaire {
  questions: Question[];
}

export type AnswerValue = number | string | boolean;
export type Answers = Record<string, AnswerValue>;

/** What the subject of each purpose is, and the question its cycle's own tallies read. */
/** What a survey rates: a commitment set, a posting, a street or community (its Party organization), an enterprise or social organization. */
export type SurveySubjectKind = 'commitment_set' | 'posting' | 'unit' | 'organization' | 'assessment_subject';
export const PURPOSE_SUBJECTS: Record<SurveyPurpose, { subject: SurveySubjectKind; primary: Question; title: string }> = {
  staff_survey: {
    subject: 'commitment_set',
    title: '职工满意度测评',
    primary: { key: 'rating', text: '您对本单位党组织和企业履行承诺情况的总体评价', kind: 'rating', required: true },
  },
  posting_resident_survey: {
    subject: 'posting',
    title: '第一书记群众测评',
    primary: { key: 'score', text: '请对第一书记在社区的工作作出评价（0–100 分）', kind: 'score', required: true },
  },
  commitment_awareness: {
    subject: 'commitment_set',
    title: '承诺知晓情况',
    primary: { key: 'aware', text: '看到本公示之前，您是否已知晓该单位的承诺内容？', kind: 'yes_no', required: true },
  },
  // 四率评价 (seed 001): answered with one-time codes only; 4 or 5 stars count as 满意/支持 (activities/assessment-rates.ts).
  party_org_satisfaction: {
    subject: 'unit',
    title: '街道社区党组织群众满意度',
    primary: { key: 'rating', text: '您对本街道（社区）党组织的服务是否满意？（5星为非常满意）', kind: 'rating', required: true },
  },
  owner_support: {
    subject: 'organization',
    title: '出资人（负责人）支持度',
    primary: { key: 'rating', text: '作为出资人（负责人），您对本单位党建工作者开展工作的支持程度（5星为全力支持）', kind: 'rating', required: true },
  },
  // The residents' source of an assessment round (domain/assessment/residents.ts): one survey per assessed subject, its
  // questions are the scheme's residents' indicators (set when codes are first issued, never edited here), codes only.
  assessment_residents: {
    subject: 'assessment_subject',
    title: '群众评议',
    primary: { key: 'comment', text: '意见建议', kind: 'text', required: false },
  },
};
/** Purposes answered only with a one-time code (the code is the only credential: there is no access link). */
export const CODE_ONLY_PURPOSES: readonly SurveyPurpose[] = ['party_org_satisfaction', 'owner_support', 'assessment_residents'];
/** Purposes whose questionnaire comes from elsewhere (the assessment scheme): the survey page does not change it. */
export const FIXED_QUESTIONNAIRE_PURPOSES: readonly SurveyPurpose[] = ['assessment_residents'];

/** The questionnaire a survey has until someone changes it: the primary question and a comment. */
export function defaultQuestionnaire(purpose: SurveyPurpose): Questionnaire {
  const { primary } = PURPOSE_SUBJECTS[purpose];
  if (purpose === 'commitment_awareness') return { questions: [primary] };
  return { questions: [primary, { key: 'comment', text: '意见建议', kind: 'text', required: false }] };
}

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;
export const MAX_CODES_PER_BATCH = 2000;
export const MAX_TEXT_ANSWER = 1000;
