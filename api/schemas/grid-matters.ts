// Params, bodies and answers of the grid matters routes (网格事项), as the handlers return them.
import Type from 'typebox';
import { DateTime, Nullable, PageQuery, Page, Uuid } from './common.ts';
import { LEVELS, MATTER_STATUSES, RESPONDER_KINDS, SOURCES, URGENCIES } from '../../domain/grid-matter/rules.ts';

const Level = Type.Enum([...LEVELS]);
const Urgency = Type.Enum([...URGENCIES]);
const Status = Type.Enum([...MATTER_STATUSES]);
const Rating = Type.Enum(['satisfied', 'unsatisfied']);
const Hours = Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 2160 }), { minItems: 4, maxItems: 4 });

export const MatterParams = Type.Object({ id: Uuid });
export const UnitParams = Type.Object({ unitId: Uuid });
export const GridParams = Type.Object({ gridId: Uuid });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 8, maxLength: 200 }) });

export const CategoryRule = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  responderKind: Type.Enum([...RESPONDER_KINDS]),
  responderId: Nullable(Uuid),
  startLevel: Level,
  deadlineHours: Type.Object({ normal: Hours, urgent: Hours }),
});
export const Settings = Type.Object({
  categories: Type.Array(CategoryRule, { maxItems: 100 }),
  reminderBeforeHours: Type.Number({ minimum: 0, maximum: 2160 }),
  ratingWindowDays: Type.Integer({ minimum: 1, maximum: 60 }),
});
export const SettingsQuery = Type.Object({ unitId: Type.Optional(Uuid) });
export const SettingsView = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  /** The unit whose rules apply (this one, or the nearest ancestor that saved some; null: the defaults). */
  inheritedFrom: Nullable(Uuid),
  settings: Settings,
  updatedAt: Nullable(DateTime),
});

export const Responder = Type.Object({
  id: Uuid,
  unitId: Uuid,
  kind: Type.Enum(['department', 'utility']),
  name: Type.String(),
  contact: Nullable(Type.String()),
  memberAccountIds: Type.Array(Uuid),
});
export const ResponderBody = Type.Object({
  unitId: Uuid,
  kind: Type.Enum(['department', 'utility']),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  contact: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  memberAccountIds: Type.Array(Uuid, { maxItems: 100 }),
}, { additionalProperties: false });
export const ResponderList = Type.Object({ items: Type.Array(Responder) });

export const Grid = Type.Object({
  id: Uuid,
  name: Type.String(),
  community: Nullable(Type.String()),
  street: Nullable(Type.String()),
  buildings: Type.Array(Type.String()),
  open: Type.Integer(),
});
export const GridList = Type.Object({ items: Type.Array(Grid) });
export const BuildingsBody = Type.Object({ buildings: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 }) });
export const ReportLink = Type.Object({ gridId: Uuid, token: Type.String(), path: Type.String() });

export const ReportBody = Type.Object({
  gridId: Uuid,
  building: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  category: Type.String({ minLength: 1, maxLength: 40 }),
  urgency: Type.Optional(Urgency),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 9 })),
  source: Type.Optional(Type.Enum(['grid_worker', 'secretary_line'])),
  /** 书记直通车: the resident's phone, when they called the secretary's line. */
  reporterPhone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
}, { additionalProperties: false });
export const PublicReportBody = Type.Object({
  building: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  category: Type.String({ minLength: 1, maxLength: 40 }),
  urgency: Type.Optional(Urgency),
  description: Type.String({ minLength: 1, maxLength: 1000 }),
  /** Optional: an anonymous report leaves none (and earns no 文明积分). */
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
}, { additionalProperties: false });
export const Reported = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: Status,
  level: Level,
  deadlineAt: DateTime,
  /** The reporter's link to follow and rate the matter (shown once). */
  followToken: Type.String(),
});
export const PublicReported = Type.Object({ number: Type.String(), level: Level, deadlineAt: DateTime, followToken: Type.String() });

export const MatterSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  grid: Type.String(),
  gridId: Uuid,
  building: Nullable(Type.String()),
  category: Type.String(),
  categoryName: Type.String(),
  urgency: Urgency,
  source: Type.Enum([...SOURCES]),
  status: Status,
  level: Level,
  assignee: Type.String(),
  responder: Nullable(Type.String()),
  deadlineAt: DateTime,
  overdue: Type.Boolean(),
  climbs: Type.Integer(),
  reopened: Type.Integer(),
  rating: Nullable(Rating),
  description: Type.String(),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
});
const matterExample = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a', number: 'GM-20261129-000001', grid: '第一网格', gridId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6b',
  building: '3号楼', category: 'environment', categoryName: '环境卫生', urgency: 'normal', source: 'resident', status: 'open', level: 'grid',
  assignee: '第一网格', responder: null, deadlineAt: '2026-12-01T08:00:00.000Z', overdue: false, climbs: 0, reopened: 0, rating: null,
  description: '3号楼门口垃圾未清运', createdAt: '2026-11-29T08:00:00.000Z', closedAt: null,
};
export const MatterListQuery = Type.Object({
  status: Type.Optional(Status),
  level: Type.Optional(Level),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  gridId: Type.Optional(Uuid),
  assigneeUnitId: Type.Optional(Uuid),
  overdue: Type.Optional(Type.Boolean()),
  climbed: Type.Optional(Type.Boolean()),
  rating: Type.Optional(Rating),
  /** inbox: matters assigned to the caller's own units and registered units (to accept and answer). */
  inbox: Type.Optional(Type.Boolean()),
  ...PageQuery,
}, { additionalProperties: false });
export const MatterList = Page(MatterSummary, matterExample);

export const TimelineEntry = Type.Object({ at: DateTime, action: Type.String(), actor: Type.String(), detail: Type.Unknown() });
export const MatterDetail = Type.Object({
  ...MatterSummary.properties,
  photoIds: Type.Array(Uuid),
  answer: Nullable(Type.String()),
  answerPhotoIds: Type.Array(Uuid),
  answeredAt: Nullable(DateTime),
  ratingComment: Nullable(Type.String()),
  mergedInto: Nullable(Type.String()),
  duplicates: Type.Integer(),
  reporterPhone: Nullable(Type.String()),
  pointsCreditedAt: Nullable(DateTime),
  /** What the caller may do now. */
  canAct: Type.Boolean(),
  timeline: Type.Array(TimelineEntry),
});
export const AnswerBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 9 })),
}, { additionalProperties: false });
export const MergeBody = Type.Object({ into: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });
export const MatterState = Type.Object({ id: Uuid, number: Type.String(), status: Status, level: Level, deadlineAt: DateTime });

export const PublicGrid = Type.Object({
  grid: Type.String(),
  community: Nullable(Type.String()),
  buildings: Type.Array(Type.String()),
  categories: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
export const PublicMatter = Type.Object({
  number: Type.String(),
  grid: Type.String(),
  building: Nullable(Type.String()),
  categoryName: Type.String(),
  description: Type.String(),
  status: Status,
  level: Level,
  levelName: Type.String(),
  deadlineAt: DateTime,
  answer: Nullable(Type.String()),
  answeredAt: Nullable(DateTime),
  rating: Nullable(Rating),
  canRate: Type.Boolean(),
  mergedInto: Nullable(Type.String()),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
});
export const RatingBody = Type.Object({ rating: Rating, comment: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }, { additionalProperties: false });
export const Rated = Type.Object({ number: Type.String(), status: Status, level: Level, outcome: Type.String() });

const Count = Type.Object({ key: Type.String(), label: Type.String(), count: Type.Integer() });
export const DashboardQuery = Type.Object({ unitId: Type.Optional(Uuid) });
export const Dashboard = Type.Object({
  total: Type.Integer(),
  byStatus: Type.Array(Count),
  byLevel: Type.Array(Count),
  byCategory: Type.Array(Count),
  byGrid: Type.Array(Count),
  overdue: Type.Integer(),
  climbing: Type.Integer(),
  medianCloseHoursByUnit: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), closed: Type.Integer(), medianHours: Nullable(Type.Number()) })),
  satisfaction: Type.Object({ satisfied: Type.Integer(), unsatisfied: Type.Integer(), rate: Nullable(Type.Number()) }),
  heat: Type.Object({
    categories: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    rows: Type.Array(Type.Object({ gridId: Type.String(), grid: Type.String(), counts: Type.Array(Type.Integer()), total: Type.Integer() })),
  }),
});
