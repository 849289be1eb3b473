// Params, bodies and answers of the assessment routes (考核方案, issue 19). The definition's
// shape is typed here; its rules (weights adding to 100, bands in order, a max for manual
// scores…) are checked by domain/assessment/rules.ts, which names the field of each.
import Type from 'typebox';
import { DateOnly, DateTime, Nullable, Uuid } from './common.ts';
import { CADENCES, RATE_SOURCES, RULE_KINDS, SOURCE_KINDS, TARGET_LEVELS, TARGET_ORG_KINDS, TARGET_ROLES } from '../../domain/assessment/rules.ts';
import { ROUND_STAGES } from '../../domain/assessment/state.ts';
import { NOMINATORS } from '../../domain/assessment/votes.ts';
import { PAPER_KINDS } from '../../domain/assessment/papers.ts';

const Num = Type.Number();
const Name = Type.String({ maxLength: 200 });
const Indicator = Type.Object({
  key: Type.String({ maxLength: 40 }),
  name: Name,
  weight: Num,
  rule: Type.Enum([...RULE_KINDS]),
  max: Type.Optional(Num),
  items: Type.Optional(Type.Array(Name, { maxItems: 30 })),
  rateSource: Type.Optional(Type.Enum([...RATE_SOURCES])),
  offline: Type.Optional(Type.Boolean({ description: 'rate: the department may add counts gathered offline (线下) with a note' })),
  question: Type.Optional(Name),
  options: Type.Optional(Type.Array(Type.Object({ label: Type.String({ maxLength: 20 }), score: Num }), { maxItems: 10 })),
  voters: Type.Optional(Type.Array(Type.Enum([...SOURCE_KINDS]), { maxItems: 6 })),
  prompts: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 20 })),
  minLength: Type.Optional(Type.Integer()),
});
const SignOffRole = Type.Enum(['street_committee', 'org_department']);
export const SchemeDefinition = Type.Object({
  name: Name,
  target: Type.Union([
    Type.Object({ kind: Type.Literal('role'), role: Type.Enum([...TARGET_ROLES]), unitLevel: Type.Enum([...TARGET_LEVELS]) }),
    Type.Object({ kind: Type.Literal('unit'), unitLevel: Type.Enum([...TARGET_LEVELS]) }),
    Type.Object({ kind: Type.Literal('organization'), orgKind: Type.Enum([...TARGET_ORG_KINDS]) }),
  ]),
  cadence: Type.Enum([...CADENCES]),
  sections: Type.Array(Type.Object({ key: Type.String({ maxLength: 40 }), name: Name, indicators: Type.Array(Indicator, { maxItems: 40 }) }), { maxItems: 20 }),
  sources: Type.Array(Type.Object({ kind: Type.Enum([...SOURCE_KINDS]), weight: Num }), { maxItems: 6 }),
  deadlines: Type.Object({ scoringDays: Num, reminderDaysBefore: Num, signOffDays: Num }),
  bands: Type.Array(Type.Object({ key: Type.String({ maxLength: 40 }), name: Name, minScore: Num, maxShare: Type.Optional(Num) }), { maxItems: 10 }),
  signOff: Type.Array(SignOffRole, { maxItems: 4 }),
  publicityDays: Num,
  outputs: Type.Object({
    payGrade: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    honourBands: Type.Optional(Type.Array(Type.String())),
    honourLimit: Type.Optional(Type.Integer()),
    reportTo: Type.Optional(Type.String({ maxLength: 100, description: 'a body outside the tree the results are reported to (e.g. 住建/房管)' })),
    bonus: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    papers: Type.Optional(Type.Array(Type.Enum([...PAPER_KINDS]), { maxItems: 2,
      description: 'papers printed per assessed: score_sheet (考核评分表, at sign-off), result_notice (考核结果通知书, at 公示)' })),
  }),
  nomination: Type.Optional(Type.Object({
    by: Type.Array(Type.Enum([...NOMINATORS]), { maxItems: 3 }), days: Num, reviewDays: Num, perNominator: Type.Optional(Type.Integer()),
  })),
  firstReview: Type.Optional(Type.Object({
    role: Type.Enum(['street_committee', 'community_committee']),
    source: Type.Enum([...SOURCE_KINDS]),
  }, { description: 'a first review (初审) of one source\'s filings: only confirmed ones count' })),
  objections: Type.Optional(Type.Object({ answerDays: Type.Integer(), publicPerHour: Type.Optional(Type.Integer()) })),
});

export const SchemeParams = Type.Object({ id: Uuid });
export const VersionParams = Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }) });
export const Scheme = Type.Object({
  id: Uuid,
  unitId: Nullable(Uuid),
  unitName: Nullable(Type.String()),
  isDefault: Type.Boolean(),
  copiedFrom: Nullable(Uuid),
  draft: SchemeDefinition,
  latestVersion: Type.Integer(),
  /** Whether the draft differs from the latest published version. */
  changed: Type.Boolean(),
  editable: Type.Boolean(),
  versions: Type.Array(Type.Object({ version: Type.Integer(), publishedAt: DateTime })),
  updatedAt: DateTime,
});
export const SchemeList = Type.Object({ items: Type.Array(Scheme) });
export const CreateScheme = Type.Object({
  unitId: Uuid,
  /** Copy a scheme (a shipped default or another) as the department's own; else give the definition. */
  copyOf: Type.Optional(Uuid),
  definition: Type.Optional(SchemeDefinition),
}, { additionalProperties: false });
export const SchemeVersion = Type.Object({ schemeId: Uuid, version: Type.Integer(), definition: SchemeDefinition, publishedAt: DateTime });

export const StartRound = Type.Object({
  schemeId: Uuid,
  /** The department's unit the round runs over (its jurisdiction). */
  unitId: Uuid,
  /** 2026年下半年 */
  period: Type.String({ minLength: 1, maxLength: 40 }),
  /** The period the records (rates) are counted over. */
  from: DateOnly,
  to: DateOnly,
}, { additionalProperties: false });
export const RoundParams = Type.Object({ id: Uuid });
export const SubjectParams = Type.Object({ id: Uuid, subjectId: Uuid });
const Stage = Type.Enum([...ROUND_STAGES]);
export const Objection = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  subjectName: Type.String(),
  filer: Type.Enum(['subject', 'staff', 'resident']),
  filerName: Nullable(Type.String()),
  reason: Type.String(),
  status: Type.Enum(['filed', 'open', 'refused', 'upheld', 'dismissed']),
  filedAt: DateTime,
  answerReason: Nullable(Type.String()),
  correctedTotal: Nullable(Num),
  correctedBand: Nullable(Type.String()),
  removedHonour: Type.Boolean(),
  answeredAt: Nullable(DateTime),
});
export const RoundSummary = Type.Object({
  id: Uuid,
  schemeId: Uuid,
  schemeName: Type.String(),
  version: Type.Integer(),
  unitId: Uuid,
  unitName: Type.String(),
  period: Type.String(),
  stage: Stage,
  signOffStep: Type.Integer(),
  scoringDueAt: DateTime,
  startedAt: DateTime,
  closedAt: Nullable(DateTime),
  assessed: Type.Integer(),
  hasRanking: Type.Boolean(),
});
export const RoundList = Type.Object({ items: Type.Array(RoundSummary) });
const Count = Type.Object({ n: Type.Integer(), of: Type.Integer() });
export const RateCount = Type.Object({ ...Count.properties, offline: Type.Optional(Count) });
export const Subject = Type.Object({
  id: Uuid,
  name: Type.String(),
  unitName: Type.String(),
  total: Nullable(Num),
  rank: Nullable(Type.Integer()),
  band: Nullable(Type.String()),
  bandName: Nullable(Type.String()),
  capped: Type.Boolean(),
  payGradeBefore: Nullable(Type.Integer()),
  payGradeAfter: Nullable(Type.Integer()),
  honoured: Type.Boolean(),
  /** 绩效奖金 in yuan (schemes with bonuses, once results are shown). */
  bonus: Type.Optional(Nullable(Type.Integer())),
  /** Corrected by an upheld objection. */
  corrected: Type.Optional(Type.Boolean()),
  /** Sources that have filed, with how many scorers. */
  filed: Type.Record(Type.String(), Type.Integer()),
  /** The sources the caller may file as for this one (empty when scoring is closed). */
  mySources: Type.Array(Type.Enum([...SOURCE_KINDS])),
  /** What the caller filed, per source. */
  myFilings: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  /** The counts behind each rate source (records plus the offline part), once results are shown. */
  rates: Nullable(Type.Record(Type.String(), RateCount)),
  /** Rate indicators with nothing to count (无数据): left out, the others' weights rescaled. */
  noData: Type.Array(Type.String()),
  /** The papers printed for this one that the caller may download (考核评分表, 考核结果通知书). */
  papers: Type.Optional(Type.Object({ scoreSheet: Type.Boolean(), resultNotice: Type.Boolean() })),
});
export const RoundView = Type.Object({
  ...RoundSummary.properties,
  definition: SchemeDefinition,
  signOffs: Type.Array(Type.Object({ step: Type.Integer(), role: Type.String(), signer: Type.String(), signedAt: DateTime })),
  /** Whether the caller may sign the step that is due. */
  canSignOff: Type.Boolean(),
  canClose: Type.Boolean(),
  resultsShown: Type.Boolean(),
  subjects: Type.Array(Subject),
  /** 公示 objections the caller may see (all for the department; else those it filed or about itself). */
  objections: Type.Optional(Type.Array(Objection)),
  /** Whether the caller may file an objection now / answer them. */
  canObject: Type.Optional(Type.Boolean()),
  canAnswer: Type.Optional(Type.Boolean()),
});
export const FileScores = Type.Object({
  source: Type.Enum([...SOURCE_KINDS]),
  scores: Type.Record(Type.String(), Type.Union([
    Type.Object({ points: Num }, { additionalProperties: false }),
    Type.Object({ ticked: Type.Array(Type.Integer(), { maxItems: 30 }) }, { additionalProperties: false }),
    Type.Object({ mean: Num }, { additionalProperties: false }),
    Type.Object({ choice: Type.Integer() }, { additionalProperties: false }),
    Type.Object(
      { text: Type.String({ maxLength: 20_000 }), answers: Type.Array(Type.String({ maxLength: 5_000 }), { maxItems: 20 }) },
      { additionalProperties: false },
    ),
  ])),
}, { additionalProperties: false });
export const Filed = Type.Object({ subjectId: Uuid, source: Type.String(), filed: Type.Integer() });
export const StageAnswer = Type.Object({ stage: Stage, signOffStep: Type.Integer() });
export const PayGradeList = Type.Object({
  roundId: Uuid,
  applied: Type.Boolean(),
  items: Type.Array(Type.Object({
    subjectId: Uuid, name: Type.String(), unitName: Type.String(), rank: Type.Integer(), bandName: Type.String(),
    before: Type.Integer(), after: Type.Integer(), step: Type.Integer(), bonus: Type.Optional(Nullable(Type.Integer())),
  })),
  /** 绩效奖金 per assessed (schemes with bonuses and no pay-grade moves list them here too). */
  bonuses: Type.Optional(Type.Array(Type.Object({ subjectId: Uuid, name: Type.String(), bandName: Type.String(), bonus: Type.Integer() }))),
  honours: Type.Array(Type.Object({ subjectId: Uuid, name: Type.String(), unitName: Type.String(), rank: Type.Integer(), bandName: Type.String() })),
});

// Nomination stage and named voters (最美网格员/楼栋长, 述职评议's 党员代表).
export const Nominate = Type.Object({
  /** The candidate's unit (of the scheme's target level, inside the round's unit). */
  unitId: Uuid,
  /** Role targets: the account holding the role on that unit. */
  candidateAccountId: Type.Optional(Uuid),
  /** Unit targets: the person's name (a 楼栋长 without an account). */
  name: Type.Optional(Type.String({ maxLength: 100 })),
  reason: Type.String({ maxLength: 500 }),
}, { additionalProperties: false });
export const ReviewNomination = Type.Object({
  nominationId: Type.String({ maxLength: 20 }),
  decision: Type.Enum(['accept', 'refuse']),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const NominationList = Type.Object({
  roundId: Uuid,
  stage: Stage,
  canNominate: Type.Boolean(),
  canReview: Type.Boolean(),
  items: Type.Array(Type.Object({
    id: Type.String(), nominatorKind: Type.String(), candidateAccountId: Nullable(Uuid), unitId: Uuid, unitName: Type.String(), name: Type.String(),
    reason: Type.String(), status: Type.Enum(['pending', 'accepted', 'refused']), decisionReason: Nullable(Type.String()), subjectId: Nullable(Uuid),
    nominatedAt: DateTime,
  })),
});
export const SetVoters = Type.Object({
  source: Type.Enum([...SOURCE_KINDS]),
  accountIds: Type.Array(Uuid, { maxItems: 500 }),
}, { additionalProperties: false });
export const Voters = Type.Object({ source: Type.String(), voters: Type.Array(Type.Object({ accountId: Uuid, name: Type.String() })) });
