// The pure rules of surveys: a questionnaire that can be answered, answers that fit it, codes as
// people type them, and the tally with its response rate.
import type { ErrorDetail } from '../errors.ts';
import {
  CODE_ALPHABET, CODE_LENGTH, MAX_TEXT_ANSWER, PURPOSE_SUBJECTS, QUESTION_KINDS,
  type Answers, type Question, type Questionnaire, type SurveyPurpose,
} from './contracts.ts';

const KEY = /^[a-z][a-z0-9_]{0,29}$/;
export const MAX_QUESTIONS = 30;

/** What is wrong with a questionnaire (empty when it may be used), fields under `base`. */
export function questionnaireErrors(purpose: SurveyPurpose, q: Questionnaire, base = 'body.questionnaire'): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const list = q.questions ?? [];
  if (list.length === 0 || list.length > MAX_QUESTIONS) errors.push({ field: `${base}.questions`, rule: `must have 1 to ${MAX_QUESTIONS} questions` });
  const seen = new Set<string>();
  list.forEach((question, i) => {
    const at = `${base}.questions.${i}`;
    if (!KEY.test(question.key)) errors.push({ field: `${at}.key`, rule: 'must be 1-30 lower-case letters, digits or _ starting with a letter' });
    else if (seen.has(question.key)) errors.push({ field: `${at}.key`, rule: 'must be unique' });
    seen.add(question.key);
    const text = (question.text ?? '').trim();
    if (text.length === 0 || text.length > 200) errors.push({ field: `${at}.text`, rule: 'must be 1 to 200 characters' });
    if (!(QUESTION_KINDS as readonly string[]).includes(question.kind)) errors.push({ field: `${at}.kind`, rule: `must be one of ${QUESTION_KINDS.join(', ')}` });
    if (question.kind === 'choice') {
      const options = (question.options ?? []).map((o) => o.trim());
      if (options.length < 2 || options.length > 10) errors.push({ field: `${at}.options`, rule: 'must have 2 to 10 options' });
      else if (new Set(options).size !== options.length || options.some((o) => o.length === 0 || o.length > 50)) {
        errors.push({ field: `${at}.options`, rule: 'must be distinct, each 1 to 50 characters' });
      }
    } else if (question.options !== undefined && question.options.length > 0) {
      errors.push({ field: `${at}.options`, rule: 'only a choice question has options' });
    }
  });
  // The cycle's own tally (the staff satisfaction, the residents' score, 知晓率) reads this question.
  const { primary } = PURPOSE_SUBJECTS[purpose];
  const kept = list.find((question) => question.key === primary.key);
  if (!kept || kept.kind !== primary.kind || !kept.required) {
    errors.push({ field: `${base}.questions`, rule: `must keep the required ${primary.kind} question "${primary.key}" the cycle counts` });
  }
  return errors;
}

/** What is wrong with answers to a questionnaire (empty when they fit), fields under `base`. */
export function answerErrors(q: Questionnaire, answers: Answers, base = 'body.answers'): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const byKey = new Map(q.questions.map((question) => [question.key, question]));
  for (const key of Object.keys(answers)) if (!byKey.has(key)) errors.push({ field: `${base}.${key}`, rule: 'is not a question of this survey' });
  for (const question of q.questions) {
    const value = answers[question.key];
    const field = `${base}.${question.key}`;
    if (value === undefined || value === '') {
      if (question.required) errors.push({ field, rule: 'is required' });
      continue;
    }
    const rule = valueRule(question, value);
    if (rule) errors.push({ field, rule });
  }
  return errors;
}

function valueRule(question: Question, value: unknown): string | null {
  switch (question.kind) {
    case 'rating':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5 ? null : 'must be a whole number from 1 to 5';
    case 'score':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100 ? null : 'must be a number from 0 to 100';
    case 'yes_no':
      return typeof value === 'boolean' ? null : 'must be yes or no';
    case 'choice':
      return typeof value === 'string' && (question.options ?? []).includes(value) ? null : 'must be one of the options';
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT_ANSWER ? null : `must be text of at most ${MAX_TEXT_ANSWER} characters`;
  }
}

/** A code as someone typed it: spaces and dashes dropped, upper case; null when it cannot be one. */
export function normalizeCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** A code printed for reading aloud: two groups of four. */
export const printedCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** A mobile number as lists show it (138****0001). */
export const maskPhone = (phone: string) => (phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***');

export const MOBILE = /^1[3-9][0-9]{9}$/;

export interface QuestionTally {
  key: string;
  text: string;
  kind: Question['kind'];
  answered: number;
  /** rating and score: the mean, one decimal; null without answers. */
  mean: number | null;
  /** choice and yes_no: how many chose each option ('是'/'否' for yes_no). */
  counts: Record<string, number>;
}

export function tally(q: Questionnaire, responses: Answers[]): QuestionTally[] {
  return q.questions.map((question) => {
    const values = responses.map((r) => r[question.key]).filter((v) => v !== undefined && v !== '');
    const numbers = values.filter((v): v is number => typeof v === 'number');
    const counts: Record<string, number> = {};
    if (question.kind === 'choice') for (const o of question.options ?? []) counts[o] = 0;
    if (question.kind === 'yes_no') Object.assign(counts, { 是: 0, 否: 0 });
    for (const v of values) {
      if (question.kind === 'choice' && typeof v === 'string') counts[v] = (counts[v] ?? 0) + 1;
      if (question.kind === 'yes_no' && typeof v === 'boolean') counts[v ? '是' : '否']! += 1;
    }
    const numeric = question.kind === 'rating' || question.kind === 'score';
    const mean = numeric && numbers.length > 0 ? Math.round((numbers.reduce((a, b) => a + b, 0) / numbers.length) * 10) / 10 : null;
    return { key: question.key, text: question.text, kind: question.kind, answered: values.length, mean, counts };
  });
}

/** Responses over the audience, as a percentage with one decimal; null when nobody counted the audience. */
export function responseRate(responses: number, audience: number | null): number | null {
  if (!audience || audience <= 0) return null;
  return Math.round((responses / audience) * 1000) / 10;
}

/** 知晓率: the share of yes among the answers to the awareness question, one decimal; null without answers. */
export function awarenessRate(responses: Answers[]): number | null {
  const answered = responses.map((r) => r.aware).filter((v): v is boolean => typeof v === 'boolean');
  if (answered.length === 0) return null;
  return Math.round((answered.filter(Boolean).length / answered.length) * 1000) / 10;
}
