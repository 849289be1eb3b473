// Points (先锋指数 + 文明积分) and the 积分兑换超市: who holds points, what a posting is, and what
// other cycles call to credit points (creditPoints in domain/points/ledger.ts, or the activity of
// the same name in activities/points.ts). Types only.

export const HOLDER_KINDS = ['member', 'resident'] as const;
/** member: an in-service Party member (先锋指数), keyed by person id; resident: a resident (文明积分), keyed by phone. */
export type HolderKind = (typeof HOLDER_KINDS)[number];

export type Holder =
  | { kind: 'member'; personId: string }
  | { kind: 'resident'; phone: string; name?: string };

export const ENTRY_KINDS = ['earn', 'hold', 'release'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const ENTRY_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const EXCHANGE_STATUSES = ['reserved', 'confirmed', 'released'] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

/** What a caller posts to credit points; the same sourceKey twice credits once. */
export interface CreditPointsInput {
  /** The business key of what earned the points, e.g. `grid-matter/<id>/satisfied`, `member-service/<recordId>`. */
  sourceKey: string;
  holder: Holder;
  /** A rule code (domain/points/rules.ts DEFAULT_RULES, or one the department set for the community's subtree). */
  ruleCode: string;
  /** The community the points are earned in (whose committee confirms them). */
  communityId: string;
  memo?: string;
  /** Who posts it, for the audit log; the system when absent. */
  actor?: { accountId: string | null; label: string };
}

export interface PostedEntry {
  entryId: string;
  sourceKey: string;
  accountId: string;
  amount: number;
  status: EntryStatus;
  /** False when the source had been posted before (nothing new was written). */
  created: boolean;
}

export interface ExchangeInput {
  /** The client's key of this exchange: sending it again returns the same exchange. */
  requestId: string;
  goodsId: string;
  holder: Holder;
  quantity: number;
  actor: { accountId: string | null; label: string };
}

/** 积分月结单: one account's month printed through the reports queue; ID `point-statement/<accountId>/<month>/<ledger digest>`
 * (also the stored report's request key: one render per state of the account's ledger). */
export const POINT_STATEMENT_WORKFLOW = 'pointStatement';
export const pointStatementWorkflowId = (accountId: string, month: string, request: string) => `point-statement/${accountId}/${month}/${request}`;
export interface PointStatementInput {
  accountId: string;
  /** YYYY-MM. */
  month: string;
  /** The account id of who asked (the ReportFile's creator). */
  requestedBy: string;
}
export interface PointStatementResult {
  sha256: string | null;
  problem: string | null;
}
