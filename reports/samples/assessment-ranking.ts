import type { AssessmentRankingData } from '../contracts/assessment-ranking.ts';

const NAMES = ['王海燕', '李建国', '张晓梅', '刘志强', '陈丽华', '杨国栋', '赵春梅', '孙立新', '周文静', '吴振东'];

// Ten grid workers of one community, a half-yearly round of the shipped scheme.
export const assessmentRanking: AssessmentRankingData = {
  scheme: '社区网格员半年考核评价',
  period: '2026年下半年',
  region: '济宁市任城区',
  decidedOn: '2026-12-28',
  sources: [{ name: '本人自评', percent: 10 }, { name: '同事互评', percent: 10 }, { name: '群众评议', percent: 20 },
    { name: '社区党委', percent: 40 }, { name: '区委组织部', percent: 20 }],
  sections: [{ name: '履职尽责', weight: 35 }, { name: '网格事项办理', weight: 35 }, { name: '群众评价', weight: 15 }, { name: '作风纪律', weight: 15 }],
  payGrades: true,
  entries: NAMES.map((name, i) => {
    const total = Math.round((96 - i * 3.1) * 100) / 100;
    const grade = i < 2 ? '优秀' : total >= 80 ? '良好' : total >= 60 ? '合格' : '不合格';
    return {
      rank: i + 1, name, unit: `济阳街道运河社区第${i + 1}网格`,
      sectionScores: [34 - i, 33 - i, 14 - i * 0.5, 15 - i * 0.3].map((n) => Math.round(n * 100) / 100),
      totalScore: total, grade, payGrade: i < 2 ? `${6 + (i % 3)}→${7 + (i % 3)}` : `${6 + (i % 3)}`,
    };
  }),
  note: '考核结果与绩效报酬直接挂钩，作为评先树优、岗位调整、薪酬定级的依据。公示期5天，对结果有异议的可向区委组织部反映。',
  signatures: [
    { role: '中共济宁市任城区济阳街道工作委员会', signer: '党工委副书记', date: '2026-12-24', decision: '同意。', seal: true },
    { role: '中共济宁市任城区委组织部', signer: '组织部干部', date: '2026-12-28', decision: '同意公示。', seal: true },
  ],
};
