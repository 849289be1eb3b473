// Report data of the posting cycle, built from the records to the contracts in
// reports/contracts (月度考勤表, 季度述评报告, 年终考核排名). The renderer validates them again
// before printing; building them here keeps the routes and workers free of SQL.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttendanceSheetData } from '../../../reports/contracts/attendance-sheet.ts';
import type { QuarterlyReviewData } from '../../../reports/contracts/quarterly-review.ts';
import type { YearEndRankingData } from '../../../reports/contracts/year-end-ranking.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingCohort } from '../../../domain/entities/posting-cohort.ts';
import { PostingCheckIn, PostingHeadVisit, PostingMonth, PostingQuarterReview, PostingResidentRating, PostingYearEnd } from '../../../domain/entities/posting-records.ts';
import { daysBetween, isWorkingDay, lastDayOfMonth, requiredDays, shanghaiDate, workingDays } from '../../../domain/posting/calendar.ts';
import { gradeByScore } from '../../../domain/posting/assessment.ts';
import { DEFAULT_COHORT_SETTINGS, type CohortSettings } from '../../../domain/posting/settings.ts';
import { escapeLike } from '../../../domain/auth/scope.ts';

const settingsOf = (posting: Posting): CohortSettings => posting.cohort?.getEntity().settings ?? DEFAULT_COHORT_SETTINGS;
const today = () => shanghaiDate(Date.now());

/** 月度考勤表 of one street: every posting in its communities active in the month. */
export async function attendanceSheetData(em: EntityManager, streetId: string, month: string): Promise<AttendanceSheetData | null> {
  const street = await em.findOne(AdministrativeUnit, { id: streetId, level: 'street' });
  if (!street) return null;
  const from = `${month}-01`;
  const to = lastDayOfMonth(from);
  const postings = await em.find(
    Posting,
    { community: { path: { $like: `${escapeLike(street.path)}%` } }, startsOn: { $lte: to }, endsOn: { $gte: from }, phase: { $ne: 'cancelled' } } as never,
    { populate: ['person', 'community', 'dispatchingOrganization', 'cohort'], orderBy: { community: { name: 'asc' }, person: { name: 'asc' } } as never },
  );
  if (postings.length === 0) return null;
  const settings = settingsOf(postings[0]!);
  const quota = requiredDays(from, to, settings);
  const secretaries = [];
  for (const posting of postings) {
    const confirmed = new Set((await em.find(PostingCheckIn, { posting: posting.id, status: 'confirmed', date: { $gte: from, $lte: to } })).map((c) => c.date));
    const closed = await em.findOne(PostingMonth, { posting: posting.id, month });
    const days = daysBetween(from, to).map((d) => (confirmed.has(d) ? 'present' : isWorkingDay(d, settingsOf(posting).holidayCalendar) ? 'absent' : 'off') as 'present' | 'absent' | 'off');
    const presentDays = confirmed.size;
    secretaries.push({
      name: posting.person.getEntity().name,
      community: posting.community.getEntity().name,
      dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
      days,
      presentDays,
      leaveDays: 0,
      metQuota: closed ? closed.confirmedDays >= closed.requiredDays : presentDays >= quota.required,
    });
  }
  return {
    month,
    street: street.name,
    requiredDays: quota.required,
    workingDays: workingDays(from, to, settings.holidayCalendar),
    secretaries,
    signatures: [{ role: '街道党工委', signer: street.partyOrgName, date: today(), decision: null }],
  };
}

/** 季度述评报告 of one posting quarter, once its review has finished. */
export async function quarterlyReviewData(em: EntityManager, postingId: string, quarter: number): Promise<QuarterlyReviewData | null> {
  const posting = await em.findOne(Posting, { id: postingId }, { populate: ['person', 'community', 'community.parent', 'dispatchingOrganization', 'cohort'] });
  const review = await em.findOne(PostingQuarterReview, { posting: postingId, quarter });
  if (!posting || !review) return null;
  const { outcome, detail } = review;
  const months = await em.find(PostingMonth, { posting: postingId, fromDate: { $gte: outcome.from }, toDate: { $lte: outcome.to } }, { orderBy: { month: 'asc' } });
  const visits = await em.find(PostingHeadVisit, { posting: postingId, visitedOn: { $gte: outcome.from, $lte: outcome.to } }, { orderBy: { visitedOn: 'asc' } });
  const ratings = await em.find(PostingResidentRating, { posting: postingId });
  const score = outcome.score ?? 0;
  const street = posting.community.getEntity().parent?.getEntity();
  return {
    year: Number(outcome.to.slice(0, 4)),
    quarter: Math.min(4, quarter),
    secretary: {
      name: posting.person.getEntity().name,
      dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
      community: posting.community.getEntity().name,
      street: street?.name ?? '—',
      postedFrom: posting.status?.startedOn ?? posting.startsOn,
      postedTo: posting.status?.endsOn ?? posting.endsOn,
    },
    attendance: (months.length ? months : []).slice(0, 3).map((m) => ({ month: m.month, presentDays: m.confirmedDays, requiredDays: m.requiredDays })),
    selfAssessment: detail.workReport ? detail.workReport.summary.split(/\n+/).filter((l) => l.trim()) : ['（本季度未提交晒绩报告）'],
    achievements: detail.workReport?.achievements ?? [],
    residentsRating: { respondents: ratings.length, satisfactionPercent: ratings.length ? Math.round((ratings.filter((r) => r.score >= 60).length / ratings.length) * 100) : 0 },
    visits: visits.map((v) => ({ date: v.visitedOn, visitor: v.visitor, position: v.position, purpose: v.purpose })),
    scores: [{ source: '组织考评（街道党工委）', weightPercent: 100, score }],
    totalScore: score,
    grade: gradeByScore(score, settingsOf(posting).grading),
    organizationReview: detail.score?.comment ?? '（未评分）',
    signatures: [{ role: '街道党工委', signer: detail.score?.by ?? street?.partyOrgName ?? '街道党工委', date: detail.score ? shanghaiDate(detail.score.at) : today(), decision: detail.score ? '同意' : null }],
  };
}

/** 年终考核排名 of a cohort, once it has been ranked. */
export async function yearEndRankingData(em: EntityManager, cohortId: string): Promise<YearEndRankingData | null> {
  const cohort = await em.findOne(PostingCohort, { id: cohortId }, { populate: ['region'] });
  if (!cohort) return null;
  const rows = await em.find(PostingYearEnd, { cohortId, rank: { $ne: null } }, { orderBy: { rank: 'asc' }, populate: ['posting', 'posting.person', 'posting.community', 'posting.community.parent', 'posting.dispatchingOrganization'] });
  if (rows.length === 0) return null;
  const w = cohort.settings.weights;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    year: Number((rows[0]!.posting.getEntity().status?.endsOn ?? cohort.startsOn).slice(0, 4)),
    region: cohort.region.getEntity().name,
    decidedOn: today(),
    weights: { selfPercent: pct(w.self), residentsPercent: pct(w.residents), organizationPercent: pct(w.organization) },
    entries: rows.map((r) => {
      const p = r.posting.getEntity();
      const ye = p.status?.yearEnd;
      return {
        rank: r.rank!,
        name: p.person.getEntity().name,
        community: p.community.getEntity().name,
        street: p.community.getEntity().parent?.getEntity().name ?? '—',
        dispatchingUnit: p.dispatchingOrganization.getEntity().name,
        selfScore: ye?.self?.score ?? 0,
        residentsScore: ye?.residents?.score ?? 0,
        organizationScore: ye?.organization?.score ?? 0,
        totalScore: Number(r.total),
        grade: r.grade ?? '—',
      };
    }),
    note: `总分 = 晒绩自评×${pct(w.self)}% + 群众测评×${pct(w.residents)}% + 组织考评×${pct(w.organization)}% + 小考（日常量化）×${pct(w.routine)}%；优秀不超过${pct(cohort.settings.grading.excellentMaxShare)}%。`,
    signatures: [{ role: '县委组织部', signer: cohort.region.getEntity().partyOrgName, date: today(), decision: '同意' }],
  };
}
