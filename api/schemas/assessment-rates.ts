// Params, bodies and answers of the rates lane's routes (issue 19): offline counts, the first review,
// the report to a body outside the tree, compounds' self-governance, and the public 四率 surveys.
import Type from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';
import { Answers, AnswerCode, Question } from './surveys.ts';

export const OfflineBody = Type.Object({
  indicator: Type.String({ maxLength: 40, description: 'the key of a rate indicator that takes offline counts' }),
  numerator: Type.Integer({ description: 'how many counted (e.g. residents satisfied in the offline 测评)' }),
  denominator: Type.Integer({ description: 'out of how many' }),
  note: Type.String({ maxLength: 500, description: 'where the counts come from (a meeting, a paper 测评)' }),
}, { additionalProperties: false });
export const OfflineCounts = Type.Object({
  roundId: Uuid,
  editable: Type.Boolean(),
  indicators: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), rateSource: Type.String() })),
  subjects: Type.Array(Type.Object({
    id: Uuid, name: Type.String(),
    counts: Type.Array(Type.Object({ indicator: Type.String(), numerator: Type.Integer(), denominator: Type.Integer(), note: Type.String(),
      enteredBy: Type.String(), enteredAt: DateTime })),
  })),
});

const ReviewStatus = Type.Enum(['pending', 'confirmed', 'returned']);
export const ReviewBody = Type.Object({
  filerAccountId: Uuid,
  decision: Type.Enum(['confirm', 'return']),
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'required to return: why the rating goes back to its filer' })),
}, { additionalProperties: false });
export const Reviewed = Type.Object({ subjectId: Uuid, filer: Uuid, status: ReviewStatus });
export const ReviewList = Type.Object({
  roundId: Uuid, role: Type.String(), source: Type.String(), canReview: Type.Boolean(),
  items: Type.Array(Type.Object({
    subjectId: Uuid, subjectName: Type.String(), unitName: Type.String(), filerAccountId: Uuid, filer: Type.String(),
    entries: Type.Record(Type.String(), Type.Unknown()), filedAt: DateTime, status: ReviewStatus, reason: Nullable(Type.String()),
    reviewedAt: Nullable(DateTime),
  })),
});

export const ReportTo = Type.Object({
  roundId: Uuid, addressee: Type.String(), stage: Type.String(), ready: Type.Boolean(),
  sentAt: Nullable(DateTime), sentBy: Nullable(Type.String()), note: Nullable(Type.String()),
});
export const MarkSent = Type.Object({ note: Type.Optional(Type.String({ maxLength: 300, description: 'a document number, how it was sent' })) },
  { additionalProperties: false });

export const CompoundQuery = Type.Object({
  unitId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'page size (1..200)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'rows to skip' })),
}, { additionalProperties: false });
export const CompoundParams = Type.Object({ gridId: Uuid });
export const CompoundBody = Type.Object({
  partyOrg: Type.Boolean({ description: '小区（楼院）党组织' }),
  ownersCommittee: Type.Boolean({ description: '业主委员会' }),
  selfGoverningGroup: Type.Boolean({ description: '居民自治委员会或自管小组' }),
  note: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });
export const Compound = Type.Object({
  gridId: Uuid, name: Type.String(), community: Nullable(Type.String()), recorded: Type.Boolean(), partyOrg: Type.Boolean(),
  ownersCommittee: Type.Boolean(), selfGoverningGroup: Type.Boolean(), note: Nullable(Type.String()), recordedBy: Nullable(Type.String()),
  recordedAt: Nullable(DateTime),
});
export const CompoundList = Type.Object({
  items: Type.Array(Compound),
  total: Type.Integer({ description: 'grids matching, all pages' }), limit: Type.Integer(), offset: Type.Integer(),
  recorded: Type.Integer({ description: 'grids recorded, all pages' }), selfGoverned: Type.Integer({ description: 'grids governing themselves, all pages' }),
});

export const RateSurveyParams = Type.Object({ purpose: Type.Enum(['party_org_satisfaction', 'owner_support']), subjectId: Uuid });
export const RateSurvey = Type.Object({ title: Type.String(), label: Type.String(), questions: Type.Array(Question) });
export const RateSurveyAnswer = Type.Object({ answers: Answers, code: Type.Optional(AnswerCode) }, { additionalProperties: false });
export const RateSurveyThanks = Type.Object({ thanks: Type.Boolean() });
