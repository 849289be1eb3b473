// Schemas of the 月调度、季督导 routes: tasks, monthly progress reports, quarterly findings, closing.
import Type from 'typebox';
import { DateOnly, DateTime, Nullable, Page, PageQuery, Uuid } from './common.ts';

const id = '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a';
const at = '2026-04-02T08:00:00.000Z';
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM', examples: ['2026-04'] });

export const TaskBody = Type.Object({
  ownerUnitId: Type.Optional(Uuid),
  ownerOrganizationId: Type.Optional(Uuid),
  title: Type.String({ maxLength: 200 }),
  target: Type.String({ maxLength: 1000 }),
  dueOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
}, { examples: [{ ownerUnitId: id, title: '老旧小区加装电梯', target: '年内完成10部', dueOn: '2099-12-31' }] });
export const TaskQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])),
  overdue: Type.Optional(Type.Boolean({ description: 'only tasks with an unfiled overdue month or an overdue finding (true), or none (false)' })),
  unitId: Type.Optional(Uuid),
  organizationId: Type.Optional(Uuid),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'words of the title' })),
  ...PageQuery,
}, { additionalProperties: false });
export const ReportBody = Type.Object({
  month: Month,
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  content: Type.String({ minLength: 1, maxLength: 2000 }),
}, { examples: [{ month: '2026-04', progress: 30, content: '完成3部电梯的意见征询' }] });
export const FindingBody = Type.Object({
  finding: Type.String({ minLength: 1, maxLength: 2000 }),
  rectifyBy: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
}, { examples: [{ finding: '进度滞后，居民意见征询未完成', rectifyBy: '2099-06-30' }] });
export const RectifyBody = Type.Object({ rectification: Type.String({ minLength: 1, maxLength: 2000 }) }, { examples: [{ rectification: '已完成意见征询' }] });
export const CloseBody = Type.Object({ note: Type.String({ maxLength: 1000 }) }, { examples: [{ note: '10部电梯全部完工，验收合格' }] });

export const Report = Type.Object({
  id: Uuid, month: Type.String(), progress: Type.Integer(), content: Type.String(), late: Type.Boolean(), filedAt: DateTime,
});
export const Finding = Type.Object({
  id: Uuid, quarter: Type.String(), finding: Type.String(), rectifyBy: DateOnly, remindedAt: Nullable(DateTime), overdueAt: Nullable(DateTime),
  rectifiedAt: Nullable(DateTime), rectification: Nullable(Type.String()), overdue: Type.Boolean(), createdAt: DateTime,
});
const taskExample = {
  id, title: '老旧小区加装电梯', target: '年内完成10部', dueOn: '2026-12-31', year: 2026, status: 'active', progress: 30, ownerKind: 'unit', ownerUnitId: id,
  ownerOrganizationId: null, ownerName: '甲街道', supervisorName: '高新区', regionName: '甲街道', createdAt: at, closedAt: null,
  months: ['2026-04', '2026-05'], filedMonths: ['2026-04'], lateMonths: [], overdueMonths: [], dueMonth: '2026-05', openFindings: 0, overdueFindings: 0,
  overdue: false,
};
export const Task = Type.Object({
  id: Uuid, title: Type.String(), target: Type.String(), dueOn: DateOnly, year: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('closed')]), progress: Type.Integer({ description: 'the newest month\'s reported %' }),
  ownerKind: Type.Union([Type.Literal('unit'), Type.Literal('organization')]), ownerUnitId: Nullable(Uuid), ownerOrganizationId: Nullable(Uuid),
  ownerName: Type.String(), supervisorName: Type.String(), regionName: Type.String(), createdAt: DateTime, closedAt: Nullable(DateTime),
  months: Type.Array(Type.String(), { description: 'every month the task reports in' }), filedMonths: Type.Array(Type.String()),
  lateMonths: Type.Array(Type.String(), { description: 'filed after being flagged overdue' }),
  overdueMonths: Type.Array(Type.String(), { description: 'flagged overdue by the workflow and still unfiled' }),
  dueMonth: Nullable(Type.String({ description: 'the month to report now' })), openFindings: Type.Integer(), overdueFindings: Type.Integer(),
  overdue: Type.Boolean({ description: 'an overdue month or finding is outstanding' }),
}, { examples: [taskExample] });
export const TaskList = Page(Task, taskExample);
export const TimelineEntry = Type.Object({ at: DateTime, action: Type.String(), actor: Type.String(), month: Nullable(Type.String()) });
export const TaskDetail = Type.Object({
  task: Task, closeNote: Nullable(Type.String()), reports: Type.Array(Report), findings: Type.Array(Finding), timeline: Type.Array(TimelineEntry),
  can: Type.Object({ report: Type.Boolean(), rectify: Type.Boolean(), supervise: Type.Boolean(), close: Type.Boolean() }),
});
