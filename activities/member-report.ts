// Activities of 双报到. checkMemberMonth counts a month's service records of a registration and,
// when there are none, flags the month (member_month_flag, keyed by registration and month, so a
// retry flags once) and tells the member's unit: the accounts holding its Party organization,
// representative or dispatching role receive a notice.
// Writers: member_month_flag only here (the API writes registrations, records, pairings, visits).
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { clockOf } from '../domain/clock.ts';
import { notify } from '../domain/notifications/notify.ts';
import type { CheckMonthInput, MonthCheck } from '../domain/member-report/contracts.ts';
import { MIN_SERVICES_PER_MONTH } from '../domain/member-report/rules.ts';

export function createMemberReportActivities(deps: { orm: MikroORM }) {
  return {
    async checkMemberMonth(input: CheckMonthInput): Promise<MonthCheck> {
      const em = deps.orm.em.fork() as EntityManager;
      const [reg] = await em.execute<{ status: string; organization_id: string; person_name: string; community_name: string }[]>(
        `select r.status, r.organization_id, p.name person_name, u.name community_name from member_registration r
           join person p on p.id = r.person_id join administrative_unit u on u.id = r.community_id where r.id = ?`,
        [input.registrationId],
      );
      if (!reg || reg.status !== 'confirmed') return { active: false, served: 0, flagged: false };
      const [count] = await em.execute<{ n: string }[]>(
        `select count(*) n from member_service_record where registration_id = ? and to_char(served_on, 'YYYY-MM') = ?`, [input.registrationId, input.month]);
      const served = Number(count!.n);
      if (served >= MIN_SERVICES_PER_MONTH) return { active: true, served, flagged: false };
      const now = clockOf(em).now();
      const flagged = await em.transactional(async (tx) => {
        const made = await tx.execute(
          `insert into member_month_flag (registration_id, month, flagged_at) values (?, ?, ?) on conflict do nothing returning month`,
          [input.registrationId, input.month, now]);
        if (made.length === 0) return false;
        const recipients = await tx.execute<{ account_id: string }[]>(
          `select distinct ra.account_id from role_assignment ra join account a on a.id = ra.account_id
            where ra.organization_id = ? and ra.role in ('enterprise_party_org', 'enterprise_rep', 'dispatching_unit') and a.active`,
          [reg.organization_id]);
        for (const r of recipients) {
          notify(tx, {
            recipientAccountId: r.account_id, kind: 'member_service_missing',
            title: `在职党员${reg.person_name}${input.month}未到社区服务`,
            body: `${reg.person_name}已向${reg.community_name}报到，${input.month}没有服务记录（每月至少${MIN_SERVICES_PER_MONTH}次）。请督促其到社区服务。`,
            link: `/member-reports/registrations/${input.registrationId}`,
          });
        }
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR, action: 'member_registration.month_flagged', entityType: 'member_registration', entityId: input.registrationId,
          after: { month: input.month, notified: recipients.length },
        });
        return true;
      });
      return { active: true, served, flagged };
    },
  };
}

export type MemberReportActivities = ReturnType<typeof createMemberReportActivities>;
