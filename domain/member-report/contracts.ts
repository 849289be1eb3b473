// 双报到: the registration's workflow (one per member and year, continued as new each January),
// its input, and what the monthly check answers. Types and names only (the workflow bundles it).

export const REGISTRATION_STATUSES = ['pending', 'confirmed', 'declined'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const MEMBER_REPORT_WORKFLOW = 'memberReport';
export const memberReportWorkflowId = (registrationId: string): string => `member-report/${registrationId}`;

export interface MemberReportInput {
  registrationId: string;
  year: number;
  /** The first month (1-12) of `year` the workflow checks (the month of confirmation in the first year). */
  fromMonth: number;
}

export interface MonthCheck {
  /** False when the registration no longer stands (declined, removed): the workflow ends. */
  active: boolean;
  /** Service records in the month. */
  served: number;
  /** Whether this check flagged the month to the member's unit (false on a retry: flagged once). */
  flagged: boolean;
}

export interface CheckMonthInput {
  registrationId: string;
  /** YYYY-MM */
  month: string;
}
