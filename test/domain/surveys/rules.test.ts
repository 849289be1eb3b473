// The survey rules: a questionnaire keeps the question its cycle counts, answers fit their
// questions (named by key), codes are read as people type them, and the tally and rates add up.
import { describe, expect, it } from '@jest/globals';
import { defaultQuestionnaire, type Answers, type Questionnaire } from '../../../domain/surveys/contracts.ts';
import { answerErrors, awarenessRate, normalizeCode, questionnaireErrors, responseRate, tally } from '../../../domain/surveys/rules.ts';

const staff: Questionnaire = {
  questions: [
    { key: 'rating', text: '总体评价', kind: 'rating', required: true },
    { key: 'wages', text: '工资是否按时足额发放', kind: 'yes_no', required: true },
    { key: 'channel', text: '您从哪里知道承诺', kind: 'choice', required: false, options: ['公示栏', '微信群', '其他'] },
    { key: 'comment', text: '意见建议', kind: 'text', required: false },
  ],
};

describe('questionnaires', () => {
  it('accepts the defaults and a longer questionnaire that keeps the counted question', () => {
    for (const purpose of ['staff_survey', 'posting_resident_survey', 'commitment_awareness'] as const) {
      expect(questionnaireErrors(purpose, defaultQuestionnaire(purpose))).toEqual([]);
    }
    expect(questionnaireErrors('staff_survey', staff)).toEqual([]);
  });

  it('names each wrong question by index and says the rule', () => {
    const bad: Questionnaire = {
      questions: [
        { key: 'rating', text: '总体评价', kind: 'score', required: true },
        { key: 'Bad Key', text: '', kind: 'text', required: false },
        { key: 'pick', text: '选一个', kind: 'choice', required: true, options: ['甲'] },
        { key: 'pick', text: '重复', kind: 'yes_no', required: true, options: ['是'] },
      ],
    };
    expect(questionnaireErrors('staff_survey', bad)).toEqual([
      { field: 'body.questionnaire.questions.1.key', rule: expect.stringContaining('lower-case') },
      { field: 'body.questionnaire.questions.1.text', rule: 'must be 1 to 200 characters' },
      { field: 'body.questionnaire.questions.2.options', rule: 'must have 2 to 10 options' },
      { field: 'body.questionnaire.questions.3.key', rule: 'must be unique' },
      { field: 'body.questionnaire.questions.3.options', rule: 'only a choice question has options' },
      { field: 'body.questionnaire.questions', rule: expect.stringContaining('"rating"') },
    ]);
    expect(questionnaireErrors('posting_resident_survey', { questions: [] })[0]).toEqual({ field: 'body.questionnaire.questions', rule: 'must have 1 to 30 questions' });
  });
});

describe('answers', () => {
  it('fit the questions or are named by key', () => {
    expect(answerErrors(staff, { rating: 5, wages: true, channel: '微信群' })).toEqual([]);
    expect(answerErrors(staff, { rating: 6, channel: '电视', extra: 1, comment: 3 })).toEqual([
      { field: 'body.answers.extra', rule: 'is not a question of this survey' },
      { field: 'body.answers.rating', rule: 'must be a whole number from 1 to 5' },
      { field: 'body.answers.wages', rule: 'is required' },
      { field: 'body.answers.channel', rule: 'must be one of the options' },
      { field: 'body.answers.comment', rule: expect.stringContaining('text') },
    ]);
    const residents = defaultQuestionnaire('posting_resident_survey');
    expect(answerErrors(residents, { score: 100.5 })).toEqual([{ field: 'body.answers.score', rule: 'must be a number from 0 to 100' }]);
    expect(answerErrors(residents, { score: 0 })).toEqual([]);
  });
});

describe('codes and tallies', () => {
  it('reads a code as typed, with dashes, spaces and lower case, and refuses what cannot be one', () => {
    expect(normalizeCode('k7p3-q9xd')).toBe('K7P3Q9XD');
    expect(normalizeCode(' K7P3 Q9XD ')).toBe('K7P3Q9XD');
    expect(normalizeCode('K7P3Q9X')).toBeNull();
    // 0, O, 1, I and L are not in the alphabet (they are misread on paper).
    expect(normalizeCode('K7P3Q9X0')).toBeNull();
    expect(normalizeCode('K7P3Q9XI')).toBeNull();
  });

  it('tallies each question and gives the rates with one decimal', () => {
    const answers: Answers[] = [{ rating: 5, wages: true, channel: '公示栏' }, { rating: 4, wages: false }, { rating: 4, wages: true, comment: '好' }];
    const [rating, wages, channel, comment] = tally(staff, answers);
    expect(rating).toMatchObject({ answered: 3, mean: 4.3 });
    expect(wages).toMatchObject({ answered: 3, mean: null, counts: { 是: 2, 否: 1 } });
    expect(channel).toMatchObject({ answered: 1, counts: { 公示栏: 1, 微信群: 0, 其他: 0 } });
    expect(comment).toMatchObject({ answered: 1 });
    expect(responseRate(2, 3)).toBe(66.7);
    expect(responseRate(2, null)).toBeNull();
    expect(awarenessRate([{ aware: true }, { aware: false }, { aware: true }])).toBe(66.7);
    expect(awarenessRate([])).toBeNull();
  });
});
