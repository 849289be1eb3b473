// Schemas of the dual commitments routes (双向承诺, 四双): params, bodies, querystrings and the
// answers, as the handlers return them (Fastify serializes by these, so every field a page or a
// test reads is listed). Dates are ISO strings.
import Type from 'typebox';
import { ORGANIZATION_KINDS } from '../../domain/entities/organization.ts';
import { CYCLE_STATUSES } from '../../domain/entities/cycle.ts';
import { GATES } from '../../domain/dual-commitment/state.ts';
import { COMMITMENT_REPORT_TYPES } from '../../domain/dual-commitment/contracts.ts';
import { DateOnly, DateTime, Nullable, Page, PageQuery, Uuid } from './common.ts';
import { AnswerCode, Answers, PublicSurvey } from './surveys.ts';

const id = '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a';
const orgId = '1b0c9d8e-3f2a-4f7a-8b6c-5d4e3f2a1b0c';
const at = '2026-04-02T08:00:00.000Z';
const Side = Type.Enum(['party', 'enterprise'], { description: 'party 党组织（四双: 街道/社区） / enterprise 企业（四双: 驻区单位）' });
const Fulfilment = Type.Enum(['fulfilled', 'partly', 'not_fulfilled']);
const Gate = Type.Enum([...GATES], { description: 'set 定诺, show 亮诺, practice 践诺, evaluate 评诺, filed 备案' });
const Token = Type.String({ minLength: 10, maxLength: 200 });

// Requests.
export const SetParams = Type.Object({ setId: Uuid });
export const CycleParams = Type.Object({ id: Uuid });
export const ItemParams = Type.Object({ setId: Uuid, itemKey: Type.String({ minLength: 1, maxLength: 100 }) });
export const ReportParams = Type.Object({ setId: Uuid, kind: Type.Enum([...COMMITMENT_REPORT_TYPES]) });
export const TokenParams = Type.Object({ token: Token });

export const CycleStartBody = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  unitId: Type.Optional(Type.String({ format: 'uuid', description: 'jurisdiction: organizations under this unit (default: yours)' })),
  organizationIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100_000 })),
  kinds: Type.Optional(Type.Array(Type.Enum([...ORGANIZATION_KINDS]))),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { examples: [{ year: 2026, kinds: ['non_public_enterprise'], settings: { submissionDeadline: '2026-03-31' } }] });
export const YearQuery = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
export const CycleListQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  status: Type.Optional(Type.Enum([...CYCLE_STATUSES])),
  ...PageQuery,
}, { additionalProperties: false });
export const SetListQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  cycleId: Type.Optional(Type.String({ format: 'uuid' })),
  gate: Type.Optional(Gate),
  ...PageQuery,
});

const Responsible = Type.Object({ name: Type.String({ maxLength: 100 }), phone: Type.Optional(Nullable(Type.String({ maxLength: 32 }))) });
const draftExample = {
  key: 'p1', side: 'party', catalogItemCode: 'P1-01', title: '开展职工技能培训', content: '组织职工参加技能培训', target: '全年培训不少于4次',
  indicator: '培训4次', deadline: '2026-10-31', responsiblePerson: { name: '王书记', phone: '13800000000' },
};
export const Draft = Type.Object({
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  side: Side,
  catalogItemCode: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  title: Type.String({ maxLength: 200 }),
  content: Type.String({ maxLength: 2000 }),
  target: Type.String({ maxLength: 1000 }),
  indicator: Type.String({ maxLength: 500 }),
  deadline: Type.String({ maxLength: 10 }),
  responsiblePerson: Responsible,
});
export const DraftBody = Type.Object({ commitments: Type.Array(Draft, { maxItems: 200 }) }, { examples: [{ commitments: [draftExample] }] });
export const ReviewBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  decision: Type.Enum(['approve', 'return']),
  comments: Type.Optional(Type.String({ maxLength: 2000 })),
}, { examples: [{ version: 1, decision: 'return', comments: '承诺目标不够具体' }] });
export const ItemStatusBody = Type.Object({
  status: Fulfilment,
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  evidenceFileId: Type.Optional(Type.String({ format: 'uuid', description: 'evidence of this organization from POST /evidence' })),
}, { examples: [{ status: 'fulfilled', description: '已组织培训4次', evidenceFileId: id }] });
export const SelfEvaluationBody = Type.Object({
  side: Side,
  score: Type.Number({ minimum: 0, maximum: 100 }),
  summary: Type.String({ minLength: 1, maxLength: 2000 }),
}, { examples: [{ side: 'party', score: 92, summary: '承诺事项全部兑现' }] });
export const ScoresBody = Type.Object({
  scores: Type.Array(Type.Object({
    itemKey: Type.String({ minLength: 1 }), score: Type.Number({ minimum: 0, maximum: 100 }), remark: Type.Optional(Type.String({ maxLength: 500 })),
  }), { minItems: 1 }),
}, { examples: [{ scores: [{ itemKey: 'p1', score: 95, remark: '完成较好' }] }] });
export const FactualEvaluationBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 5000 }),
  itemStatuses: Type.Optional(Type.Array(Type.Object({ itemKey: Type.String({ minLength: 1, maxLength: 100 }), status: Fulfilment }), { maxItems: 200 })),
  superiorOrganization: Type.Optional(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }), contact: Type.Optional(Type.String({ maxLength: 100 })),
  })),
}, { examples: [{ text: '该单位积极参与社区共建，承诺事项均已兑现。', itemStatuses: [{ itemKey: 'u1', status: 'fulfilled' }] }] });
export const FeedbackBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 5000 }) }, { examples: [{ body: '培训安排很好，希望增加场次。' }] });
/** A staff answer: the questionnaire's answers by key, or (as before questionnaires) the rating and comment; a code when the survey asks one. */
export const SurveyAnswerBody = Type.Object({
  rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Type.Optional(Type.String({ maxLength: 500 })),
  answers: Type.Optional(Answers),
  code: Type.Optional(AnswerCode),
}, { examples: [{ rating: 5, comment: '满意' }, { answers: { rating: 4, wages: true }, code: 'K7P3-Q9XD' }] });
/** 知晓率: whether the reader knew the commitments before seeing the notice. */
export const AwarenessBody = Type.Object({ answers: Answers, code: Type.Optional(AnswerCode) }, { examples: [{ answers: { aware: true } }] });

// Answers.
export const CycleStarted = Type.Object({ id: Uuid, year: Type.Integer(), organizations: Type.Integer(), progress: Type.String() }, {
  examples: [{ id, year: 2026, organizations: 120, progress: `/dual-commitments/cycles/${id}` }],
});
export const CycleDefaults = Type.Object({
  submissionDeadline: Type.String(), publicationDays: Type.Integer(), practiceEnd: Type.String(), evaluationStart: Type.String(), evaluationEnd: Type.String(),
}, {
  examples: [{ submissionDeadline: '2026-03-31', publicationDays: 7, practiceEnd: '2026-11-30', evaluationStart: '2026-12-01', evaluationEnd: '2026-12-20' }],
});
const PerGate = Type.Object(Object.fromEntries(GATES.map((g) => [g, Type.Integer()])) as Record<(typeof GATES)[number], ReturnType<typeof Type.Integer>>);
const cycleExample = {
  id, year: 2026, name: '2026年度双向承诺', status: 'running', createdAt: '2026-11-21T08:00:00.000Z', sets: 120,
  start: { started: 118, failed: 2, pending: 0 }, perGate: { set: 20, show: 5, practice: 95, evaluate: 0, filed: 0 }, href: `/dual-commitments/cycles/${id}`,
};
export const CycleSummary = Type.Object({
  id: Uuid,
  year: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  createdAt: DateTime,
  sets: Type.Integer({ description: 'commitment sets of the cycle in your jurisdiction' }),
  start: Type.Object({ started: Type.Integer(), failed: Type.Integer(), pending: Type.Integer() }),
  perGate: PerGate,
  href: Type.String({ description: 'the cycle dashboard' }),
}, { examples: [cycleExample] });
export const CycleList = Page(CycleSummary, cycleExample);
export const CycleDashboard = Type.Object({
  id: Uuid,
  year: Type.Integer(),
  start: Type.Object({
    total: Type.Integer(), started: Type.Integer(), failed: Type.Integer(), pending: Type.Integer(), done: Type.Boolean(),
    failures: Type.Array(Type.Object({ setId: Uuid, organizationId: Uuid, reason: Type.String() })),
    retry: Nullable(Type.String({ description: 'the request that starts the failed workflows again' })),
  }),
  perGate: Type.Record(Type.String(), Type.Integer()),
  setStatuses: Type.Record(Type.String(), Type.Integer()),
  overdue: Type.Object({
    submissions: Type.Array(Type.Object({ setId: Uuid, organizationId: Uuid, status: Type.String() })),
    items: Type.Array(Type.Object({ setId: Uuid, itemKey: Type.String(), escalatedAt: DateTime })),
  }),
  stuck: Type.Array(Type.Object({ setId: Uuid, organizationId: Uuid, gate: Type.String(), status: Type.String(), since: DateTime })),
}, {
  examples: [{
    id, year: 2026, start: { total: 120, started: 120, failed: 0, pending: 0, done: true, failures: [], retry: null },
    perGate: { set: 20, show: 5, practice: 95, evaluate: 0, filed: 0 }, setStatuses: { drafting: 10, submitted: 6, returned: 4, approved: 0 },
    overdue: { submissions: [{ setId: id, organizationId: orgId, status: 'drafting' }], items: [] }, stuck: [],
  }],
});
export const StartRetried = Type.Object({ id: Uuid, retried: Type.Integer(), progress: Type.String() }, {
  examples: [{ id, retried: 2, progress: `/dual-commitments/cycles/${id}` }],
});

const setSummaryExample = {
  id, year: 2026, cycleId: id, organizationId: orgId, organizationName: '济宁鲁恒机械有限公司', gate: 'set', status: 'drafting', approvedVersion: null,
  due: '2026-03-31', href: `/dual-commitments/sets/${id}`,
};
export const SetSummary = Type.Object({
  id: Uuid, year: Type.Integer(), cycleId: Uuid, organizationId: Uuid, organizationName: Type.String(), gate: Gate, status: Type.String(),
  approvedVersion: Nullable(Type.Integer()),
  due: Nullable(DateOnly),
  href: Type.String(),
}, { examples: [setSummaryExample] });
export const SetList = Type.Object({ total: Type.Integer(), items: Type.Array(SetSummary) }, { examples: [{ total: 1, items: [setSummaryExample] }] });

const CommitmentItem = Type.Object({
  key: Type.String(), side: Side, catalogItemCode: Nullable(Type.String()), title: Type.String(), content: Type.String(), target: Type.String(),
  indicator: Type.String(), deadline: Type.String(), responsiblePerson: Type.Object({ name: Type.String(), phone: Type.Optional(Nullable(Type.String())) }),
});
const ReportEntry = Type.Object({
  type: Type.String(),
  status: Type.Enum(['filed', 'failed', 'rendering', 'not_filed']),
  sha256: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  failedAt: Nullable(DateTime),
  download: Nullable(Type.String()),
  render: Nullable(Type.String({ description: '`POST <path>` that renders it again' })),
});
const ReportState = Type.Object({ status: Type.Enum(['rendering', 'stored', 'failed']), sha256: Nullable(Type.String()), problem: Nullable(Type.String()) });
/** Where the cycle stands, from the records (the shape of the workflow's status query). */
const RecordedState = Type.Object({
  setId: Uuid,
  variant: Type.Enum(['enterprise', 'resident_unit']),
  gate: Gate,
  setStatus: Type.String(),
  submittedVersion: Nullable(Type.Integer()),
  approvedVersion: Nullable(Type.Integer()),
  items: Type.Array(Type.Object({ key: Type.String(), side: Side, dueAt: DateTime, filed: Nullable(Fulfilment) })),
  selfEvaluated: Type.Array(Side),
  scored: Type.Boolean(),
  evaluatorSignedBy: Nullable(Uuid),
  countersignedBy: Nullable(Uuid),
  factualEvaluatedBy: Nullable(Uuid),
  publication: Nullable(Type.Object({ from: DateTime, to: DateTime, closed: Type.Boolean() })),
  escalations: Type.Array(Type.String({ description: 'submission@<ISO>, item:<key>@<ISO> or evaluation@<ISO>' })),
  reports: Type.Record(Type.String(), ReportState),
});
export const SetView = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  organizationName: Type.String(),
  year: Type.Integer(),
  workflowId: Type.String(),
  gate: Gate,
  status: Type.String(),
  yourRoles: Type.Array(Type.String()),
  approvedVersion: Nullable(Type.Integer()),
  versions: Type.Array(Type.Object({
    version: Type.Integer(), status: Type.String(), isChange: Type.Boolean(), items: Type.Array(CommitmentItem),
    submittedAt: Nullable(DateTime), reviewedAt: Nullable(DateTime), reviewComments: Nullable(Type.String()),
  })),
  progress: Type.Array(Type.Object({
    id: Uuid, itemKey: Type.String(), status: Nullable(Fulfilment), description: Nullable(Type.String()), reason: Nullable(Type.String()),
    evidenceFileId: Nullable(Uuid), filedAt: Nullable(DateTime), escalatedAt: Nullable(DateTime), score: Nullable(Type.Number()),
  })),
  publication: Nullable(Type.Object({
    from: DateTime, to: DateTime, closedAt: Nullable(DateTime), noticeSha256: Nullable(Type.String()), publicPath: Type.String(),
  })),
  surveyPath: Nullable(Type.String()),
  result: Nullable(Type.Object({
    totalScore: Nullable(Type.Number()), grade: Nullable(Type.String()),
    evaluation: Type.Unknown({ description: 'the components and weights as filed, or the 四双 写实评价 record' }),
    recordSha256: Nullable(Type.String()), filedAt: DateTime,
  })),
  reports: Type.Array(ReportEntry),
  due: Nullable(DateOnly),
  gateDates: Type.Object({
    submissionDeadline: DateOnly, publicationDays: Type.Integer(), practiceEnd: DateOnly, evaluationStart: DateOnly, evaluationEnd: DateOnly,
    itemDeadlines: Type.Object({ from: DateOnly, to: DateOnly }),
  }),
  workflow: RecordedState,
}, {
  examples: [{
    id, organizationId: orgId, organizationName: '济宁鲁恒机械有限公司', year: 2026, workflowId: `dual-commitment/${orgId}/2026`, gate: 'set', status: 'drafting',
    yourRoles: ['enterprise_rep'], approvedVersion: null, versions: [], progress: [], publication: null, surveyPath: null, result: null, reports: [],
    due: '2026-03-31',
    gateDates: {
      submissionDeadline: '2026-03-31', publicationDays: 7, practiceEnd: '2026-11-30', evaluationStart: '2026-12-01', evaluationEnd: '2026-12-20',
      itemDeadlines: { from: '2026-01-01', to: '2026-11-30' },
    },
    workflow: {
      setId: id, variant: 'enterprise', gate: 'set', setStatus: 'drafting', submittedVersion: null, approvedVersion: null, items: [], selfEvaluated: [],
      scored: false,
      evaluatorSignedBy: null, countersignedBy: null, factualEvaluatedBy: null, publication: null, escalations: [], reports: {},
    },
  }],
});
export const DraftSaved = Type.Object({
  version: Type.Integer(),
  problems: Type.Array(Type.Object({ field: Type.String(), rule: Type.String() }), { description: 'what still keeps the draft from being submitted' }),
}, { examples: [{ version: 1, problems: [{ field: 'body.commitments[0].target', rule: 'is required: a concrete target that can be seen' }] }] });
export const SetSubmitted = Type.Object({ version: Type.Integer(), gate: Gate, setStatus: Type.String() }, {
  examples: [{ version: 1, gate: 'set', setStatus: 'submitted' }],
});
export const SetReviewed = Type.Object({ gate: Gate, setStatus: Type.String(), approvedVersion: Nullable(Type.Integer()) }, {
  examples: [{ gate: 'set', setStatus: 'approved', approvedVersion: 1 }],
});
export const ItemStatusFiled = Type.Object({ itemKey: Type.String(), status: Fulfilment, evidenceFileId: Nullable(Uuid) }, {
  examples: [{ itemKey: 'p1', status: 'fulfilled', evidenceFileId: id }],
});
export const SelfEvaluated = Type.Object({ side: Side, score: Type.Number() }, { examples: [{ side: 'party', score: 92 }] });
export const Scored = Type.Object({ scored: Type.Integer({ description: 'items scored' }) }, { examples: [{ scored: 6 }] });
export const SignedOff = Type.Object({ gate: Gate, evaluatorSignedBy: Nullable(Uuid) }, { examples: [{ gate: 'evaluate', evaluatorSignedBy: id }] });
export const FactualEvaluated = Type.Object({ gate: Gate, factualEvaluatedBy: Nullable(Uuid) }, { examples: [{ gate: 'evaluate', factualEvaluatedBy: id }] });
export const Countersigned = Type.Object({ gate: Gate, countersignedBy: Nullable(Uuid) }, { examples: [{ gate: 'evaluate', countersignedBy: id }] });
export const Pdf = Type.Unknown({ description: 'the PDF (application/pdf); its SHA-256 in the x-sha256 header' });
export const RenderStarted = Type.Object({ workflowId: Type.String(), attempt: Type.Integer(), status: Type.String() }, {
  examples: [{ workflowId: `report-render/commitment_set/${id}/commitment-notice/2`, attempt: 2, status: `/dual-commitments/sets/${id}` }],
});
export const PublicCommitments = Type.Object({
  organization: Type.String(),
  partyOrganization: Nullable(Type.String()),
  year: Type.Integer(),
  publication: Type.Object({ from: Nullable(DateTime), to: Nullable(DateTime), feedbackOpen: Type.Boolean() }),
  commitments: Type.Array(Type.Object({
    side: Side, title: Type.String(), content: Type.String(), target: Type.String(), indicator: Type.String(), deadline: Type.String(),
    responsible: Type.String(),
  })),
  awareness: PublicSurvey,
}, {
  examples: [{
    organization: '济宁鲁恒机械有限公司', partyOrganization: '济宁鲁恒机械有限公司党支部', year: 2026, publication: { from: at, to: '2026-04-09T08:00:00.000Z', feedbackOpen: true },
    commitments: [{
      side: 'party', title: '开展职工技能培训', content: '组织职工参加技能培训', target: '全年培训不少于4次', indicator: '培训4次', deadline: '2026-10-31',
      responsible: '王书记',
    }],
    awareness: { mode: 'open', questions: [{ key: 'aware', text: '看到本公示之前，您是否已知晓该单位的承诺内容？', kind: 'yes_no', required: true }] },
  }],
});
export const Accepted = Type.Object({ accepted: Type.Boolean() }, { examples: [{ accepted: true }] });
export const FeedbackList = Type.Object({ items: Type.Array(Type.Object({ body: Nullable(Type.String()), at: DateTime })) }, {
  examples: [{ items: [{ body: '培训安排很好，希望增加场次。', at }] }],
});
export const SurveyInfo = Type.Object({ organization: Type.String(), year: Type.Integer(), open: Type.Boolean(), survey: PublicSurvey }, {
  examples: [{
    organization: '济宁鲁恒机械有限公司', year: 2026, open: true,
    survey: { mode: 'open', questions: [{ key: 'rating', text: '您对本单位党组织和企业履行承诺情况的总体评价', kind: 'rating', required: true }] },
  }],
});
