// Words of the survey pages.
export const kindNames: Record<string, string> = { rating: '星级评价', score: '百分制', choice: '单选', yes_no: '是/否', text: '文字' };
export const purposeTitles: Record<string, string> = { staff_survey: '职工满意度测评', posting_resident_survey: '第一书记群众测评', commitment_awareness: '承诺知晓情况',
  party_org_satisfaction: '街道社区党组织群众满意度', owner_support: '出资人（负责人）支持度', assessment_residents: '群众评议' };
