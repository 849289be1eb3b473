// Activities of the star rating workflow. Each forks its own EntityManager and writes
// idempotently (upserts keyed by organization and year, moves keyed by their move key), so a
// retried activity changes nothing twice. PDFs are not printed here: these activities build the
// report data, the workflow hands it to the shared `renderReport` on the reports queue
// (activities/reports.ts), and `recordPlaque` files the PDF's SHA-256 on the move.
// Writers (what the workflow decides is written here, what people filed by the API, never both):
// star_round, star_move, star_incentive_grant and star_tracking_event (the events the workflow
// accepted) only here; on star_enrolment the level and the end (the API creates the row when the
// department enrols); on star_public_objection only `accepted` (the API files the lodging).
import { LockMode, type MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { notify } from '../domain/notifications/notify.ts';
import { defaultStarRatingCatalog } from '../domain/catalogs/star-rating.ts';
import { defaultIncentiveCatalog } from '../domain/catalogs/incentives.ts';
import type { IncentiveCatalog, StarRatingCatalog } from '../domain/catalogs/schemas.ts';
import { autoIndicatorsOf, incentiveChanges, incentivesFor, indicatorsOf, satisfactionRate, type StarLevel } from '../domain/star-rating/rules.ts';
import { resolveStarSettings, yearPlan } from '../domain/star-rating/calendar.ts';
import type { StarMoveSummary, StarRatingState, YearConfig } from '../domain/star-rating/state.ts';
import { STAR_OBJECTIONS } from '../domain/star-rating/contracts.ts';
import { starCycleInForce, starObjectionToken } from '../domain/star-rating/records.ts';
import { Account } from '../domain/entities/account.ts';
import { AdministrativeUnit } from '../domain/entities/administrative-unit.ts';
import { CatalogVersion } from '../domain/entities/catalog-version.ts';
import { Organization } from '../domain/entities/organization.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../domain/entities/evaluator-assignment.ts';
import { CommitmentFeedback, CommitmentSet } from '../domain/entities/commitment.ts';
import { StarEnrolment, StarMove } from '../domain/entities/star-rating.ts';
import { StarIncentiveGrant } from '../domain/entities/star-tracking.ts';
import { hashSecret } from '../domain/auth/secrets.ts';
import type { ReportActivities } from './reports.ts';
import type { ReportRequest } from '../domain/reports/contracts.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { allocateDocumentNumber, requireDepartmentIssuer } from '../domain/documents/issuer.ts';
import { organizationLabel } from '../domain/documents/wording.ts';
import { shanghaiDate } from '../domain/time.ts';

export interface StarRatingActivityDeps {
  orm: MikroORM;
  /** The service's clock (domain/clock.ts); defaults to the one bound to the ORM. */
  clock?: Clock;
}

export type StarReportType = 'star-plaque' | 'star-rating-list';
/** What the workflow hands to the shared report pipeline's `renderReport`. */
export type StarReportRequest = ReportRequest & { type: StarReportType };
export type StarReportRenderingActivities = Pick<ReportActivities, 'renderReport'>;

export interface StarMoveInput {
  key: string;
  organizationId: string;
  year: number;
  trigger: StarMoveSummary['trigger'];
  outcome: StarMoveSummary['outcome'];
  from: StarLevel;
  to: StarLevel;
  total: number | null;
  reason: string;
  decidedByAccountId: string | null;
  decidedByLabel: string;
  eventIds: string[];
  evidenceFileIds: string[];
  objectionIds: string[];
  plaqueValidUntil: string;
}

export interface EndInput {
  key: string;
  organizationId: string;
  year: number;
  reason: string;
  decidedByAccountId: string | null;
  decidedByLabel: string;
}

export function createStarRatingActivities(deps: StarRatingActivityDeps) {
  const clock = deps.clock ?? clockOf(deps.orm.em);
  const fork = () => deps.orm.em.fork() as EntityManager;

  /** Accounts holding `roles` over the organization: its own roles, unit roles on an ancestor, assigned evaluators. */
  async function accountsOver(em: EntityManager, org: Organization, roles: string[]): Promise<string[]> {
    const unitPath = org.unit.getEntity().path;
    const grants = await em.find(RoleAssignment, { role: { $in: roles as never } }, { populate: ['unit'] });
    const ids = grants
      .filter((g) => (g.organization ? g.organization.id === org.id : g.unit ? unitPath.startsWith(g.unit.getEntity().path) : false))
      .map((g) => g.account.id);
    if (roles.includes('evaluator')) {
      ids.push(...(await em.find(EvaluatorAssignment, { subjectType: 'organization', subjectId: org.id })).map((a) => a.account.id));
    }
    return [...new Set(ids)].sort();
  }

  const loadOrg = (em: EntityManager, id: string) => em.findOneOrFail(Organization, { id }, { populate: ['unit'] });

  async function incentiveCatalogFor(em: EntityManager, organizationId: string, year: number): Promise<IncentiveCatalog> {
    const enrolment = await em.findOne(StarEnrolment, { organization: organizationId });
    const cycle = enrolment ? await starCycleInForce(em, enrolment.departmentUnit.id, year) : null;
    return (cycle?.incentiveCatalogVersion?.getEntity().content as IncentiveCatalog | undefined) ?? defaultIncentiveCatalog;
  }

  return {
    /** The year's plan and rules: the indicator system, thresholds and event effects of the cycle in force. */
    async loadStarYear(input: { organizationId: string; year: number; firstYear: number }): Promise<YearConfig> {
      const em = fork();
      const enrolment = await em.findOne(StarEnrolment, { organization: input.organizationId });
      const cycle = enrolment ? await starCycleInForce(em, enrolment.departmentUnit.id, input.year) : null;
      const { settings } = resolveStarSettings((cycle?.settings ?? {}) as Record<string, unknown>);
      const catalogVersion = cycle?.catalogVersion?.getEntity() ?? null;
      const catalog = (catalogVersion?.content as StarRatingCatalog | undefined) ?? defaultStarRatingCatalog;
      if (catalogVersion && !catalogVersion.usedAt) await em.nativeUpdate(CatalogVersion, { id: catalogVersion.id, usedAt: null }, { usedAt: clock.now() });
      const indicators = indicatorsOf(catalog);
      return {
        plan: yearPlan(input.year, input.firstYear, settings),
        indicators,
        auto: autoIndicatorsOf(indicators, settings.autoIndicators),
        thresholds: settings.thresholds ?? catalog.starThresholds,
        eventTypes: settings.eventTypes,
        trackingCap: settings.trackingCap,
        allowRaiseOnReview: settings.allowRaiseOnReview,
        catalogVersionId: catalogVersion?.id ?? null,
      };
    },

    /**
     * Mirrors the workflow's status into star_round; an older revision never overwrites a newer
     * one. The tracked events and public objections the workflow holds are marked accepted (a
     * tracked event is filed here if the API did not live to file it), so what people read is
     * what the workflow took, even when the caller had stopped waiting.
     */
    async syncStarRound(input: { organizationId: string; year: number; status: StarRatingState }): Promise<void> {
      const em = fork();
      const s = input.status;
      const types = new Map((s.config?.eventTypes ?? []).map((t) => [t.code, t]));
      for (const e of s.events ?? []) {
        const type = types.get(e.type);
        await em.execute(
          `insert into star_tracking_event
             (id, organization_id, type, occurred_on, summary, points, serious, evidence_file_ids, recorded_by_id, accepted, created_at)
           select ?, ?, ?, ?, ?, ?, ?, ?::jsonb, a.id, true, ?::timestamptz from account a where a.login = ?
           on conflict (id) do update set accepted = true where star_tracking_event.accepted = false`,
          [
            e.id, input.organizationId, e.type, e.occurredOn, e.summary, type?.points ?? 0, type?.serious ?? false,
            JSON.stringify(e.evidenceFileIds ?? []), clock.now(), e.recordedBy,
          ],
        );
      }
      const objectionIds = (s.objections ?? []).map((o) => o.id).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      const marks = objectionIds.map(() => '?').join(', ');
      if (objectionIds.length) await em.execute(`update star_public_objection set accepted = true where accepted = false and id in (${marks})`, objectionIds);
      await em.execute(
        `insert into star_round (id, organization_id, year, kind, phase, stars, proposed_stars, total, status, revision, updated_at)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
         on conflict (organization_id, year) do update set kind = excluded.kind, phase = excluded.phase, stars = excluded.stars,
           proposed_stars = excluded.proposed_stars, total = excluded.total, status = excluded.status, revision = excluded.revision,
           updated_at = excluded.updated_at
         where star_round.revision <= excluded.revision`,
        [
          input.organizationId, input.year, s.config?.plan.kind ?? 'rating', s.phase, s.stars, s.proposal?.stars ?? null, s.proposal?.total ?? null,
          JSON.stringify(s), s.revision, clock.now(),
        ],
      );
    },

    /** The year's filed dual-commitment total (助力发展) and the staff survey's satisfaction rate (企业形象). */
    async loadYearRecords(input: { organizationId: string; year: number }): Promise<{ dualCommitmentScore: number | null; staffSatisfaction: number | null }> {
      const em = fork();
      const set = await em.findOne(CommitmentSet, { organization: input.organizationId, year: input.year, filedAt: { $ne: null } });
      if (!set) return { dualCommitmentScore: null, staffSatisfaction: null };
      const answers = await em.find(CommitmentFeedback, { set: set.id, kind: 'satisfaction' }, { fields: ['rating'] });
      const ratings = answers.filter((f) => f.rating != null).map((f) => Number(f.rating));
      return { dualCommitmentScore: set.totalScore == null ? null : Number(set.totalScore), staffSatisfaction: satisfactionRate(ratings) };
    },

    async notifyStarParties(input: { organizationId: string; year: number; subject: string; detail: string | null }): Promise<void> {
      const em = fork();
      const org = await loadOrg(em, input.organizationId);
      const enterprise = ['enterprise_rep', 'enterprise_party_org'];
      const messages: Record<string, { roles: string[]; title: string; body: string }> = {
        self_assessment_overdue: { roles: [...enterprise, 'street_committee'], title: '星级评定自评逾期', body: `${org.name} 尚未提交${input.year}年度星级评定自评材料。` },
        self_assessment_returned: { roles: ['enterprise_rep', 'enterprise_party_org'], title: '星级评定自评被退回', body: input.detail ?? '' },
        preliminary_overdue: {
          roles: ['street_committee', 'community_committee', 'org_department'], title: '星级评定初审逾期', body: `${org.name} 的星级评定初审已逾期。`,
        },
        evidence_requested: { roles: ['enterprise_rep', 'enterprise_party_org'], title: '请补充星级评定佐证材料', body: input.detail ?? '' },
        scoring_overdue: { roles: ['evaluator', 'org_department'], title: '星级评定评分逾期', body: `${org.name} 的星级评定评分已逾期。` },
        approval_due: { roles: ['org_department'], title: '星级评定结果待审定', body: `${org.name}：${input.detail ?? ''}` },
        self_report_overdue: { roles: [...enterprise, 'street_committee'], title: '年度自查报告逾期', body: `${org.name} 未按期提交${input.year}年度自查报告。` },
        review_decision_due: { roles: ['org_department'], title: '星级年度复审待审定', body: `${org.name}：${input.detail ?? ''}` },
        immediate_review: { roles: ['org_department', ...enterprise], title: '星级立即复审', body: `${org.name}：${input.detail ?? ''}` },
      };
      const m = messages[input.subject] ?? { roles: ['org_department'], title: '星级评定', body: input.detail ?? input.subject };
      for (const recipientAccountId of await accountsOver(em, org, m.roles)) {
        notify(em, { recipientAccountId, kind: `star_${input.subject}`, title: m.title, body: m.body });
      }
      await em.flush();
    },

    /** 公示: the public objection link (expiring with the window), notices to the parties, the audit row; once. */
    async openStarPublication(input: { organizationId: string; year: number; from: string; to: string; stars: number; total: number }): Promise<void> {
      const em = fork();
      const roundKey = [input.organizationId, input.year];
      const [round] = await em.execute<{ id: string }[]>(`select id from star_round where organization_id = ? and year = ?`, roundKey);
      if (!round) throw new Error(`no star_round for ${input.organizationId}/${input.year}`);
      const token = await starObjectionToken(em, round.id);
      await em.execute(
        `insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?) on conflict (token_hash) do nothing`,
        [hashSecret(token), STAR_OBJECTIONS, 'star_round', round.id, new Date(input.to), clock.now()],
      );
      await em.transactional(async (tx) => {
        const entityId = `${input.organizationId}/${input.year}`;
        const published = `select count(*) as n from audit_entry where entity_type = 'star_round' and entity_id = ? and action = 'star_rating.publish'`;
        const done = await tx.execute<{ n: string }[]>(published, [entityId]);
        if (Number(done[0]?.n ?? 0) > 0) return;
        const org = await loadOrg(tx, input.organizationId);
        const body = `${org.name} 拟评定${input.stars}星（${input.total}分），公示期至${shanghaiDate(new Date(input.to))}。公开异议链接：/public/star-objections/${token}`;
        for (const recipientAccountId of await accountsOver(tx, org, ['enterprise_rep', 'enterprise_party_org', 'street_committee', 'community_committee'])) {
          notify(tx, { recipientAccountId, kind: 'star_publication', title: '星级评定结果公示', body });
        }
        await tx.flush();
        const after = { ...input, objectionLinkHash: hashSecret(token) };
        await recordAudit(tx, { actor: SYSTEM_ACTOR, action: 'star_rating.publish', entityType: 'star_round', entityId, after });
      });
    },

    /** A decision on the level: the move and the incentives that follow it; for a rating, the plaque certificate's (授牌) report data. */
    async recordStarMove(input: StarMoveInput): Promise<{ plaque: StarReportRequest | null }> {
      const em = fork();
      const org = await loadOrg(em, input.organizationId);
      const incentives = await incentiveCatalogFor(em, input.organizationId, input.year);
      const awarded = input.trigger === 'rating' && input.to > 0;
      const existing = await em.findOne(StarMove, { moveKey: input.key });
      const department = awarded ? await requireDepartmentIssuer(em, org.unit.id) : null; // it awards and numbers the certificate, once per move
      const certificateNumber = existing?.certificateNumber
        ?? (department && (await allocateDocumentNumber(em, { issuer: department, kind: 'star-plaque', year: input.year, subjectKey: `star_move/${input.key}` })));
      const plaque: StarReportRequest | null = awarded
        ? {
            type: 'star-plaque',
            data: {
              certificateNumber,
              partyOrganization: org.partyOrgName ?? `${org.name}党组织`,
              enterprise: org.name, label: organizationLabel(org.kind),
              stars: input.to, year: input.year, validUntil: input.plaqueValidUntil,
              awardedOn: shanghaiDate(existing?.decidedAt ?? clock.now()),
            },
            meta: { issuingUnit: department!.name, sealCaption: department!.sealCaption },
            subjectType: 'organization',
            subjectId: org.id,
            createdBy: `workflow:star-rating/${org.id}`,
            requestKey: `star-plaque/${input.key}`,
          }
        : null;
      if (existing) return { plaque: existing.plaqueSha256 ? null : plaque };
      await em.transactional(async (tx) => {
        if (await tx.findOne(StarMove, { moveKey: input.key })) return;
        // A rating ended meanwhile by the department takes no later move (its activity may have been cancelled late).
        const enrolment = await tx.findOne(StarEnrolment, { organization: input.organizationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (enrolment?.endedAt) return;
        tx.create(StarMove, {
          moveKey: input.key,
          organization: input.organizationId,
          year: input.year,
          trigger: input.trigger,
          outcome: input.outcome,
          fromStars: input.from,
          toStars: input.to,
          total: input.total,
          reason: input.reason,
          eventIds: input.eventIds,
          evidenceFileIds: input.evidenceFileIds,
          objectionIds: input.objectionIds,
          decidedBy: input.decidedByAccountId ? tx.getReference(Account, input.decidedByAccountId) : null,
          decidedByLabel: input.decidedByLabel,
          certificateNumber,
          validUntil: awarded ? input.plaqueValidUntil : null,
          plaqueSha256: null,
        } as never);
        await tx.nativeUpdate(StarEnrolment, { organization: input.organizationId }, { currentStars: input.to });
        // A new rating re-grants from scratch; a review withdraws what the lower level no longer earns.
        const active = await tx.find(StarIncentiveGrant, { organization: input.organizationId, withdrawnAt: null });
        const { grant, withdraw } = awarded ? { grant: incentivesFor(input.to, incentives), withdraw: [] } : incentiveChanges(input.from, input.to, incentives);
        const withdrawCodes = new Set(awarded ? active.map((g) => g.measureCode) : withdraw.map((m) => m.code));
        for (const g of active) {
          if (withdrawCodes.has(g.measureCode)) Object.assign(g, { withdrawnByMove: input.key, withdrawnAt: clock.now() });
        }
        for (const m of grant) {
          tx.create(StarIncentiveGrant, { organization: input.organizationId, measureCode: m.code, category: m.category, department: m.department, minStars: m.minStars, text: m.text, grantedByMove: input.key, grantedYear: input.year } as never);
        }
        for (const recipientAccountId of await accountsOver(tx, org, ['enterprise_rep', 'enterprise_party_org'])) {
          notify(tx, { recipientAccountId, kind: 'star_level', title: `星级${{ awarded: '评定', kept: '保留', lowered: '下调', raised: '上调', revoked: '撤销', not_rated: '评定', ended: '终止' }[input.outcome]}`, body: input.reason });
        }
        await tx.flush();
        await recordAudit(tx, {
          actor: input.decidedByAccountId ? { accountId: input.decidedByAccountId, label: input.decidedByLabel } : SYSTEM_ACTOR,
          action: `star_rating.${input.outcome}`,
          entityType: 'organization',
          entityId: input.organizationId,
          before: { stars: input.from },
          after: { stars: input.to, key: input.key, trigger: input.trigger, reason: input.reason },
        });
      });
      return { plaque };
    },

    /**
     * The department ended the rating: the level in force is revoked with its reason (a move
     * with trigger `ended`), every incentive still granted is withdrawn, the enrolment is closed
     * and the parties told. Returns the level that was in force. Once per key.
     */
    async endStarEnrolment(input: EndInput): Promise<{ from: StarLevel }> {
      const em = fork();
      return em.transactional(async (tx) => {
        const done = await tx.findOne(StarMove, { moveKey: input.key });
        if (done) return { from: done.fromStars as StarLevel };
        const enrolment = await tx.findOneOrFail(StarEnrolment, { organization: input.organizationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        const org = await loadOrg(tx, input.organizationId);
        const from = enrolment.currentStars as StarLevel;
        const reason = `终止星级评定：${input.reason}${from > 0 ? `；撤销${from}星，激励措施停止` : ''}`;
        tx.create(StarMove, {
          moveKey: input.key, organization: input.organizationId, year: input.year, trigger: 'ended', outcome: from > 0 ? 'revoked' : 'ended',
          fromStars: from, toStars: 0, total: null,
          reason, eventIds: [], evidenceFileIds: [], objectionIds: [],
          decidedBy: input.decidedByAccountId ? tx.getReference(Account, input.decidedByAccountId) : null, decidedByLabel: input.decidedByLabel,
          certificateNumber: null, validUntil: null, plaqueSha256: null,
        } as never);
        const active = await tx.find(StarIncentiveGrant, { organization: input.organizationId, withdrawnAt: null });
        for (const g of active) Object.assign(g, { withdrawnByMove: input.key, withdrawnAt: clock.now() });
        const before = { currentStars: enrolment.currentStars, endedAt: null, incentives: active.length };
        const endedBy = input.decidedByAccountId ? tx.getReference(Account, input.decidedByAccountId) : null;
        Object.assign(enrolment, { currentStars: 0, endedAt: clock.now(), endReason: input.reason, endedBy });
        for (const recipientAccountId of await accountsOver(tx, org, ['enterprise_rep', 'enterprise_party_org', 'street_committee', 'community_committee'])) {
          notify(tx, { recipientAccountId, kind: 'star_ended', title: '星级评定终止', body: `${org.name}：${reason}` });
        }
        await tx.flush();
        await recordAudit(tx, {
          actor: input.decidedByAccountId ? { accountId: input.decidedByAccountId, label: input.decidedByLabel } : SYSTEM_ACTOR,
          action: 'star_rating.ended',
          entityType: 'organization',
          entityId: input.organizationId,
          before,
          after: { currentStars: 0, key: input.key, reason: input.reason, incentivesWithdrawn: active.length },
        });
        return { from };
      });
    },

    /** Files the plaque PDF's SHA-256 on its move, once. */
    async recordPlaque(input: { key: string; sha256: string }): Promise<void> {
      const em = fork();
      await em.transactional(async (tx) => {
        const updated = await tx.nativeUpdate(StarMove, { moveKey: input.key, plaqueSha256: null }, { plaqueSha256: input.sha256 });
        if (updated === 0) return;
        const after = { report: 'star-plaque', sha256: input.sha256, documentNumber: (await tx.findOne(StarMove, { moveKey: input.key }))?.certificateNumber ?? null };
        await recordAudit(tx, { actor: SYSTEM_ACTOR, action: 'star_rating.plaque', entityType: 'star_move', entityId: input.key, after });
      });
    },

    /** 星级评定名单 of a jurisdiction for a year: the level each organization holds after that year's decisions. */
    async prepareStarRatingList(input: { unitId: string; year: number; kind: '评定' | '复审'; decidedByLogin: string; requestKey: string }): Promise<{ request: StarReportRequest | null; entries: number }> {
      const em = fork();
      const rows = await em.execute<{ org_id: string; name: string; party: string | null; street: string | null; to_stars: number; total: number | null; from_stars: number }[]>(
        `select distinct on (m.organization_id) m.organization_id as org_id, o.name, o.party_org_name as party, s.name as street, m.to_stars, m.total, m.from_stars
           from star_move m join organization o on o.id = m.organization_id join administrative_unit u on u.id = o.unit_id
           left join administrative_unit s on s.level = 'street' and u.path like s.path || '%'
          where m.year = ? and u.path like (select path from administrative_unit where id = ?) || '%'
          order by m.organization_id, m.decided_at desc`,
        [input.year, input.unitId],
      );
      const entries = rows.filter((r) => r.to_stars > 0).sort((a, b) => b.to_stars - a.to_stars || Number(b.total ?? 0) - Number(a.total ?? 0));
      if (entries.length === 0) return { request: null, entries: 0 };
      const unit = await em.findOneOrFail(AdministrativeUnit, { id: input.unitId });
      const today = shanghaiDate(clock.now());
      const department = await requireDepartmentIssuer(em, unit.id);
      const documentNumber = await allocateDocumentNumber(em, { issuer: department, kind: 'star-rating-list', year: input.year, subjectKey: `star_rating_list/${unit.id}/${input.year}/${input.kind}` });
      return {
        entries: entries.length,
        request: {
          type: 'star-rating-list',
          data: {
            year: input.year,
            kind: input.kind,
            region: unit.name,
            decidedOn: today,
            entries: entries.map((r) => ({ partyOrganization: r.party ?? `${r.name}党组织`, enterprise: r.name, street: r.street ?? unit.name, score: Number(r.total ?? 0), stars: r.to_stars, previousStars: r.from_stars > 0 ? r.from_stars : null })),
            note: `对评定结果有异议的，请在公示期内向${department.name}反映${department.contact ? `，联系方式：${department.contact}` : ''}。`,
            signatures: [{ role: department.name, signer: input.decidedByLogin, date: today, decision: '同意上述评定结果。', seal: true }],
          },
          meta: { issuingUnit: department.name, sealCaption: department.sealCaption, documentNumber },
          subjectType: 'unit',
          subjectId: unit.id,
          createdBy: `workflow:star-rating-list/${unit.id}`,
          requestKey: input.requestKey,
        },
      };
    },
  };
}

export type StarRatingActivities = ReturnType<typeof createStarRatingActivities>;
