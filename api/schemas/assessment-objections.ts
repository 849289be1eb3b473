// Params, bodies and answers of 公示 objections, the public 公示 page and the 三岗十八级
// pay-grade list (issue 19).
import Type from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';
import { OBJECTION_REASON_MAX } from '../../domain/assessment/objections.ts';
import { Objection } from './assessments.ts';

const Reason = Type.String({ minLength: 1, maxLength: OBJECTION_REASON_MAX });
export const FileObjection = Type.Object({ subjectId: Uuid, reason: Reason }, { additionalProperties: false });
export const PublicObjectionBody = Type.Object({
  subjectId: Uuid,
  reason: Reason,
  /** Optional: who objects and a phone for the answer (11 digits). */
  name: Type.Optional(Type.String({ maxLength: 30 })),
  phone: Type.Optional(Type.String({ pattern: '^1\\d{10}$' })),
}, { additionalProperties: false });
export const AnswerObjection = Type.Object({
  decision: Type.Enum(['upheld', 'dismissed']),
  reason: Reason,
  correctedTotal: Type.Optional(Type.Number()),
  correctedBand: Type.Optional(Type.String({ maxLength: 40 })),
  removeHonour: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export const ObjectionParams = Type.Object({ id: Uuid, objectionId: Uuid });
export const ObjectionAnswer = Objection;
export const PublicFiled = Type.Object({ objectionId: Uuid, accepted: Type.Boolean() });
export const PublicRound = Type.Object({
  schemeName: Type.String(),
  period: Type.String(),
  unitName: Type.String(),
  stage: Type.String(),
  /** Whether objections are taken now, and until when. */
  open: Type.Boolean(),
  publicityEndsAt: Nullable(DateTime),
  subjects: Type.Array(Type.Object({ id: Uuid, name: Type.String(), unitName: Type.String(), rank: Nullable(Type.Integer()),
    bandName: Nullable(Type.String()), total: Nullable(Type.Number()) })),
});

export const PayGradeQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
}, { additionalProperties: false });
const Move = Type.Object({ roundId: Uuid, schemeName: Type.String(), period: Type.String(), band: Type.String(), before: Type.Integer(),
  after: Type.Integer(), bonus: Nullable(Type.Integer()), movedAt: DateTime });
export const PayGradeRow = Type.Object({
  subjectKey: Uuid,
  name: Type.String(),
  unitName: Nullable(Type.String()),
  grade: Type.Integer(),
  updatedAt: DateTime,
  moves: Type.Array(Move),
});
export const PayGradePage = Type.Object({ items: Type.Array(PayGradeRow), total: Type.Integer() });
