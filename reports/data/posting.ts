// Report data of the posting cycle, built from the records to the contracts in
// reports/contracts (月度考勤表, 季度述评报告, 年终考核排名, 期满联合考核表). The posting workflows
// turn them into requests for the shared renderReport activity (reports task queue), keyed by
// business key so each report is rendered and filed once; the API lists and serves the filed
// PDFs (ReportFile rows) and shows the same data as JSON.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttendanceSheetData } from '../contracts/attendance-sheet.ts';

type AttendanceMark = AttendanceSheetData['secretaries'][number]['days'][number];
import type { QuarterlyReviewData } from '../contracts/quarterly-review.ts';
import type { YearEndRankingData } from '../contracts/year-end-ranking.ts';
import type { FinalAssessmentData } from '../contracts/final-assessment.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Posting } from '../../domain/entities/posting.ts';
import { PostingCohort } from '../../domain/entities/posting-cohort.ts';
import { PostingCheckIn, PostingFinalAssessment, PostingGuarantee, PostingHeadVisit, PostingMonth, PostingQuarterReview, PostingResidentRating, PostingYearEnd } from '../../domain/entities/posting-records.ts';
import { requiredDays, workingDays } from '../../domain/posting/calendar.ts';
import { dayMarks } from '../../domain/posting/absences.ts';
import { calendarFor } from '../../domain/posting/holiday-calendars.ts';
import { PostingAbsence } from '../../domain/entities/posting-absence.ts';
import { DEFAULT_COHORT_SETTINGS, gradeByScore, type CohortSettings, type FinalSigner } from '../../domain/posting/rules.ts';
import { escapeLike } from '../../domain/auth/scope.ts';
import { clockOf } from '../../domain/clock.ts';
import { departmentFullName } from '../../domain/documents/issuer.ts';
import { deductionReason, holidayCalendarNote, opinionText, postingQuarterName } from '../../domain/documents/wording.ts';
import { addDays, lastDayOfMonth, shanghaiDate, startOfShanghaiDay } from '../../domain/time.ts';

const settingsOf = (posting: Posting): CohortSettings => posting.cohort?.getEntity().settings ?? DEFAULT_COHORT_SETTINGS;
/** Today in Shanghai on the service's clock (the simulated calendar in the sandbox). */
const today = (em: EntityManager) => shanghaiDate(clockOf(em).now().getTime());

/** 组织部 of a region, as printed in letterheads: 中共某区委员会 → 中共某区委组织部. */
export const departmentName = departmentFullName;

/** 月度考勤表 of one street: every posting in its communities active in the month (of one cohort when given). */
export async function attendanceSheetData(em: EntityManager, streetId: string, month: string, cohortId?: string, issuedOn: string = today(em)): Promise<AttendanceSheetData | null> {
  const street = await em.findOne(AdministrativeUnit, { id: streetId, level: 'street' });
  if (!street) return null;
  const from = `${month}-01`;
  const to = lastDayOfMonth(from);
  const postings = await em.find(
    Posting,
    { community: { path: { $like: `${escapeLike(street.path)}%` } }, startsOn: { $lte: to }, endsOn: { $gte: from }, phase: { $nin: ['cancelled', 'awaiting_guarantees', 'awaiting_start'] }, ...(cohortId ? { cohort: cohortId } : {}) } as never,
    { populate: ['person', 'community', 'dispatchingOrganization', 'cohort'], orderBy: { community: { name: 'asc' }, person: { name: 'asc' } } as never },
  );
  if (postings.length === 0) return null;
  // The cohort's calendar with the year's stored calendar laid over it (entered after the cohort started, it still counts).
  const calendar = await calendarFor(em, settingsOf(postings[0]!).holidayCalendar, from, to);
  const settings = { ...settingsOf(postings[0]!), holidayCalendar: calendar };
  const quota = requiredDays(from, to, settings);
  const secretaries = [];
  for (const posting of postings) {
    const confirmed = new Set((await em.find(PostingCheckIn, { posting: posting.id, status: 'confirmed', date: { $gte: from, $lte: to } })).map((c) => c.date));
    const absences = (await em.find(PostingAbsence, { posting: posting.id, status: 'approved', fromDate: { $lte: to }, toDate: { $gte: from } }))
      .map((a) => ({ kind: a.kind, from: a.fromDate, to: a.toDate, status: a.status }));
    const closed = await em.findOne(PostingMonth, { posting: posting.id, month });
    // √ confirmed, △ approved trip, ○ approved leave, × absent, blank off (domain/posting/absences.ts).
    const days: AttendanceMark[] = dayMarks(from, to, confirmed, absences, calendar);
    const presentDays = days.filter((d) => d === 'present').length;
    const counted = presentDays + days.filter((d) => d === 'business').length;
    secretaries.push({
      name: posting.person.getEntity().name,
      community: posting.community.getEntity().name,
      dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
      days,
      presentDays,
      businessDays: days.filter((d) => d === 'business').length,
      leaveDays: days.filter((d) => d === 'leave').length,
      metQuota: closed ? closed.confirmedDays >= closed.requiredDays : counted >= quota.required,
    });
  }
  return {
    month,
    street: street.name,
    requiredDays: quota.required,
    workingDays: workingDays(from, to, calendar),
    calendarNote: holidayCalendarNote(calendar, Number(month.slice(0, 4))),
    secretaries,
    // Signed and sealed by hand, and dated when signed: the clerk who made the sheet and the street committee.
    signatures: [
      { role: '制表人', signer: null, date: null, decision: null },
      { role: street.partyOrgName, signer: null, date: null, decision: null, seal: true },
    ],
  };
}

/**
 * 季度述评报告 of one posting quarter, once its review has finished. The residents' figure
 * counts the ratings filed during that quarter (its first day to its last, Shanghai time).
 */
export async function quarterlyReviewData(em: EntityManager, postingId: string, quarter: number): Promise<QuarterlyReviewData | null> {
  const posting = await em.findOne(Posting, { id: postingId }, { populate: ['person', 'community', 'community.parent', 'dispatchingOrganization', 'cohort'] });
  const review = await em.findOne(PostingQuarterReview, { posting: postingId, quarter });
  if (!posting || !review) return null;
  const { outcome, detail } = review;
  const months = await em.find(PostingMonth, { posting: postingId, fromDate: { $gte: outcome.from }, toDate: { $lte: outcome.to } }, { orderBy: { month: 'asc' } });
  const visits = await em.find(PostingHeadVisit, { posting: postingId, visitedOn: { $gte: outcome.from, $lte: outcome.to } }, { orderBy: { visitedOn: 'asc' } });
  const ratings = await em.find(PostingResidentRating, {
    posting: postingId,
    createdAt: { $gte: new Date(startOfShanghaiDay(outcome.from)), $lt: new Date(startOfShanghaiDay(addDays(outcome.to, 1))) },
  } as never);
  const score = outcome.score ?? 0;
  const street = posting.community.getEntity().parent?.getEntity();
  const grade = gradeByScore(score, settingsOf(posting).grading);
  return {
    period: { index: quarter, from: outcome.from, to: outcome.to },
    secretary: {
      name: posting.person.getEntity().name,
      dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
      community: posting.community.getEntity().name,
      street: street?.name ?? '—',
      postedFrom: posting.status?.startedOn ?? posting.startsOn,
      postedTo: posting.status?.endsOn ?? posting.endsOn,
    },
    attendance: months.slice(0, 3).map((m) => ({ month: m.month, presentDays: m.confirmedDays, requiredDays: m.requiredDays })),
    selfAssessment: detail.workReport ? detail.workReport.summary.split(/\n+/).filter((l) => l.trim()) : ['（本季度未提交晒绩报告）'],
    achievements: detail.workReport?.achievements ?? [],
    // The ratings received in the quarter; with none there is no rate to print (not 0%).
    residentsRating: { respondents: ratings.length, satisfactionPercent: ratings.length ? Math.round((ratings.filter((r) => r.score >= 60).length / ratings.length) * 1000) / 10 : null },
    visits: visits.map((v) => ({ date: v.visitedOn, visitor: v.visitor, position: v.position, purpose: v.purpose })),
    scores: [{ source: '组织考评（街道党工委）', weightPercent: 100, score }],
    totalScore: score,
    grade,
    organizationReview: detail.score?.comment ?? '（未评分）',
    signatures: [
      { role: '第一书记本人', signer: null, date: null, decision: null },
      {
        role: street?.partyOrgName ?? '街道党工委',
        signer: detail.score?.by ?? null,
        date: detail.score ? shanghaiDate(detail.score.at) : null,
        decision: detail.score ? `评定为“${grade}”等次。` : null,
        seal: true,
      },
    ],
  };
}

/** 年终考核排名 of a cohort, once it has been ranked (every ranked posting so far). */
export async function yearEndRankingData(em: EntityManager, cohortId: string, issuedOn: string = today(em)): Promise<YearEndRankingData | null> {
  const cohort = await em.findOne(PostingCohort, { id: cohortId }, { populate: ['region'] });
  if (!cohort) return null;
  const rows = await em.find(PostingYearEnd, { cohortId, rank: { $ne: null } }, { orderBy: { rank: 'asc', total: 'desc' }, populate: ['posting', 'posting.person', 'posting.community', 'posting.community.parent', 'posting.dispatchingOrganization'] });
  if (rows.length === 0) return null;
  const w = cohort.settings.weights;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    year: Number((rows[0]!.posting.getEntity().status?.endsOn ?? cohort.startsOn).slice(0, 4)),
    region: cohort.region.getEntity().name,
    decidedOn: issuedOn,
    // The weights yearEndScore applies (domain/posting/rules.ts), all four, each with its column.
    weights: { selfPercent: pct(w.self), residentsPercent: pct(w.residents), organizationPercent: pct(w.organization), routinePercent: pct(w.routine) },
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
        routineScore: ye?.routine ?? p.status?.routineScore ?? 0,
        totalScore: Number(r.total),
        grade: r.grade ?? '—',
      };
    }),
    note: `优秀等次不超过参评人数的${pct(cohort.settings.grading.excellentMaxShare)}%。`,
    signatures: [{ role: departmentName(cohort.region.getEntity().partyOrgName), signer: null, date: null, decision: '同意公布。', seal: true }],
  };
}

const SIGNER_ORDER: FinalSigner[] = ['street_committee', 'dispatching_unit', 'org_department'];

/**
 * 期满联合考核表 of a posting whose joint assessment is signed. Gender, birth month and political
 * status come from the person's record; where the record lacks them the form prints a blank
 * line for the clerk to fill in by hand rather than refusing to print.
 */
export async function finalAssessmentData(em: EntityManager, postingId: string): Promise<FinalAssessmentData | null> {
  const posting = await em.findOne(Posting, { id: postingId }, { populate: ['person', 'community', 'community.parent', 'dispatchingOrganization', 'cohort'] });
  const final = await em.findOne(PostingFinalAssessment, { posting: postingId });
  const status = posting?.status;
  if (!posting || !final || !status) return null;
  const person = posting.person.getEntity();
  const settings = settingsOf(posting);
  const guarantee = await em.findOne(PostingGuarantee, { posting: postingId });
  const visits = await em.count(PostingHeadVisit, { posting: postingId, visitedOn: { $gte: status.startedOn ?? posting.startsOn, $lte: status.endsOn ?? posting.endsOn } });
  const months = await em.find(PostingMonth, { posting: postingId });
  const street = posting.community.getEntity().parent?.getEntity();
  const ye = status.yearEnd;
  const w = settings.weights;
  const round = (x: number) => Math.round(x * 100) / 100;
  const item = (label: string, weight: number, score: number | null, remark: string | null) => ({ item: `${label}（权重${Math.round(weight * 100)}%）`, maxScore: round(weight * 100), score: round(weight * (score ?? 0)), remark });
  const quarterlyResults = status.quarters.map((q) => ({ period: postingQuarterName(q.quarter, q.from, q.to), score: q.score ?? 0, grade: q.score === null ? '未评分' : gradeByScore(q.score, settings.grading) }));
  quarterlyResults.push({ period: '年终考核', score: ye.total ?? 0, grade: ye.ranking?.grade ?? (ye.total === null ? '—' : gradeByScore(ye.total, settings.grading)) });
  const achievements = (await em.find(PostingQuarterReview, { posting: postingId }, { orderBy: { quarter: 'asc' } })).flatMap((r) => r.detail.workReport?.achievements ?? []);
  const signatures = [...final.signatures].sort((a, b) => SIGNER_ORDER.indexOf(a.as) - SIGNER_ORDER.indexOf(b.as));
  // Each body by its full name: the street's working committee, the dispatching unit's Party
  // organization (a 党组 exists only in government organs), the district's department.
  const region = posting.cohort?.getEntity().region;
  const regionUnit = region ? await em.findOne(AdministrativeUnit, { id: region.id }) : null;
  const signerRole: Record<FinalSigner, string> = {
    street_committee: street?.partyOrgName ?? '街道党工委',
    dispatching_unit: `派出单位党组织（${posting.dispatchingOrganization.getEntity().name}）`,
    org_department: regionUnit ? departmentName(regionUnit.partyOrgName) : '组织部',
  };
  return {
    secretary: {
      name: person.name,
      gender: person.gender ?? null,
      birthMonth: person.birthMonth ?? null,
      politicalStatus: person.politicalStatus ?? null,
      dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
      originalPosition: posting.originalPosition ?? person.title ?? '—',
      community: posting.community.getEntity().name,
      street: street?.name ?? '',
      postedFrom: status.startedOn ?? posting.startsOn,
      postedTo: status.endsOn ?? posting.endsOn,
    },
    attendance: { presentDays: months.reduce((n, m) => n + m.confirmedDays, 0), requiredDays: months.reduce((n, m) => n + m.requiredDays, 0) },
    support: { insuranceYuan: guarantee?.insuranceYuan ?? status.guarantees.insuranceYuan ?? 0, workFundsYuan: guarantee?.workFundsYuan ?? status.guarantees.workFundsYuan ?? 0, headVisits: visits },
    quarterlyResults,
    achievements,
    deductions: status.tally.map((entry) => deductionReason(entry, status.quarters)),
    scoreItems: [
      item('晒绩自评', w.self, ye.self?.score ?? null, ye.self ? null : '未提交'),
      item('群众测评', w.residents, ye.residents?.score ?? null, ye.residents ? `${ye.residents.respondents}人参评` : null),
      item('组织考评', w.organization, ye.organization?.score ?? null, ye.organization ? null : '未评分'),
      item('小考（日常量化）', w.routine, ye.routine ?? status.routineScore, status.tally.length ? `扣分${status.tally.length}项，见扣分明细` : '无扣分'),
    ],
    totalScore: ye.total ?? 0,
    grade: ye.ranking?.grade ?? (ye.total === null ? '—' : gradeByScore(ye.total, settings.grading)),
    remark: `${ye.ranking ? `年终考核在本批${ye.ranking.cohortSize}名第一书记中排名第${ye.ranking.rank}。` : ''}联合考核结论：${final.outcome === 'passed' ? '通过' : '不通过'}。`,
    signatures: signatures.map((s) => ({ role: signerRole[s.as], signer: s.name, date: shanghaiDate(s.signedAt), decision: opinionText(s.decision, s.comment), seal: true })),
  };
}
