// Attendance as people look at it: the days a secretary filed in a month (with where and a
// photo, if given), and the closed months (月度考勤) of the postings a caller may see, summed by
// community and month for the department's and streets' heat map.
import type { Static } from 'typebox';
import { badRequest, notFound } from '../../../domain/errors.ts';
import type { AttendanceGridQuery, CheckInListQuery } from '../../schemas/postings.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import type { Posting } from '../../../domain/entities/posting.ts';
import { PostingCheckIn, PostingMonth } from '../../../domain/entities/posting-records.ts';
import { allOf } from '../../support/query.ts';
import { overUnit, postingActor, visiblePostings, type PostingCaller } from './access.ts';

const SUBJECT = 'posting_check_in';

/** The photo named in a check-in: evidence of the posting's community filed for this posting; 400 naming the field otherwise. */
export async function checkInPhoto(caller: PostingCaller, posting: Posting, evidenceId: string | undefined): Promise<EvidenceFile | null> {
  if (!evidenceId) return null;
  const file = await caller.em.findOne(EvidenceFile, { id: evidenceId });
  const fits = file && file.unit?.id === posting.community.id && file.subjectType === SUBJECT && file.subjectId === posting.id;
  if (!file || !fits) {
    const rule = `evidence filed for this posting (unitId = its community, subjectType ${SUBJECT}, subjectId = the posting)`;
    throw badRequest('the photo is not evidence of this posting', [{ field: 'body.photoEvidenceId', rule }]);
  }
  return file;
}

export async function listCheckIns(caller: PostingCaller, postingId: string, query: Static<typeof CheckInListQuery>) {
  const { posting } = await postingActor(caller, postingId);
  const where: Record<string, unknown> = { posting: posting.id };
  if (query.month) where.date = { $like: `${query.month}-%` };
  const rows = await caller.em.find(PostingCheckIn, where, { orderBy: { date: 'asc' } });
  return {
    postingId: posting.id,
    month: query.month ?? null,
    items: rows.map((r) => ({
      id: r.id,
      date: r.date,
      note: r.note,
      status: r.status,
      reviewNote: r.reviewNote ?? null,
      location: r.latitude != null && r.longitude != null
        ? { latitude: Number(r.latitude), longitude: Number(r.longitude), ...(r.accuracyM != null ? { accuracyM: Number(r.accuracyM) } : {}) }
        : null,
      photo: r.photoEvidence ? { evidenceId: r.photoEvidence.id, download: `/evidence/${r.photoEvidence.id}/versions/1/content` } : null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** One community's month on the attendance heat map. */
interface HeatCell {
  streetId: string;
  street: string;
  communityId: string;
  community: string;
  month: string;
  postings: number;
  confirmedDays: number;
  requiredDays: number;
  shortfalls: number;
}

/**
 * Closed months of the postings the caller may see, by community and month: postings, confirmed
 * and required days, how many fell short. Filters: a cohort, a street (one the caller may see;
 * 404 otherwise), a year.
 */
export async function attendanceGrid(caller: PostingCaller, query: Static<typeof AttendanceGridQuery>) {
  const months = await attendanceMonths(caller, query);
  const cells = new Map<string, HeatCell>();
  for (const m of months) {
    const community = m.posting.getEntity().community.getEntity();
    const street = community.parent?.getEntity();
    const key = `${community.id}|${m.month}`;
    const cell = cells.get(key) ?? {
      streetId: street?.id ?? community.id,
      street: street?.name ?? '',
      communityId: community.id,
      community: community.name,
      month: m.month,
      postings: 0,
      confirmedDays: 0,
      requiredDays: 0,
      shortfalls: 0,
    };
    cell.postings += 1;
    cell.confirmedDays += m.confirmedDays;
    cell.requiredDays += m.requiredDays;
    if (m.confirmedDays < m.requiredDays) cell.shortfalls += 1;
    cells.set(key, cell);
  }
  const sorted = [...cells.values()].sort(
    (a, b) => a.street.localeCompare(b.street, 'zh') || a.community.localeCompare(b.community, 'zh') || a.month.localeCompare(b.month),
  );
  return { cells: sorted.map((c) => ({ ...c, rate: c.requiredDays > 0 ? Math.min(1, c.confirmedDays / c.requiredDays) : 1 })) };
}

/** The closed months (月度考勤) the heat map sums and the Excel export lists, with the same filters and access. */
export async function attendanceMonths(caller: PostingCaller, query: Static<typeof AttendanceGridQuery>) {
  const { em, principal } = caller;
  const postingWhere: Record<string, unknown>[] = [visiblePostings(principal)];
  if (query.cohortId) postingWhere.push({ cohort: query.cohortId });
  if (query.streetId) {
    const street = await em.findOne(AdministrativeUnit, { id: query.streetId });
    if (!street || !(overUnit(principal, street.path) || principal.grants.some((g) => g.unitPath?.startsWith(street.path)))) throw notFound('unit');
    postingWhere.push({ community: { path: { $like: `${street.path}%` } } });
  }
  const where: Record<string, unknown> = { posting: allOf(postingWhere) };
  if (query.year) where.month = { $like: `${query.year}-%` };
  const populate = ['posting', 'posting.community', 'posting.community.parent', 'posting.person', 'posting.dispatchingOrganization'] as const;
  return em.find(PostingMonth, where, { populate, orderBy: { month: 'asc' } });
}
