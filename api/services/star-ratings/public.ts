// 公示 through the public link: anyone may see the proposed level and lodge an objection while
// the window is open, without signing in. star_public_objection records what the public
// lodged (text and a client hash for the hourly limit): this service writes the row, then tells
// the workflow; whether the workflow took it (`accepted`) is the workflow's to say, written by
// its sync activity before the update answers (also when a worker takes it later).
import { badRequest, conflictOf, gone, notFound, rateLimited } from '../../../domain/errors.ts';
import { takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import { verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { recordAudit, PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { StarEnrolment, StarRound } from '../../../domain/entities/star-rating.ts';
import { StarPublicObjection } from '../../../domain/entities/star-tracking.ts';
import type { Actor } from '../../../domain/star-rating/state.ts';
import { resolveStarSettings } from '../../../domain/star-rating/calendar.ts';
import { STAR_OBJECTIONS, fileStarObjection, type StarRatingStatus } from '../../../domain/star-rating/contracts.ts';
import { starCycleInForce } from '../../../domain/star-rating/records.ts';
import type { Caller, StarDeps } from './access.ts';

/** Objections through the public 公示 link: at most this long (and per-client hourly limit from the settings). */
export const PUBLIC_OBJECTION_MAX_LENGTH = 2000;
const CLOSED = 'the publication window has closed: objections are no longer taken';

/** The round a public objection link opens, or the API error for a link that does not (any more). */
async function roundOfLink(caller: Caller, token: string) {
  const { em } = caller;
  const check = await verifyAccessLink(em, token, STAR_OBJECTIONS);
  if (!check.ok) {
    if (check.reason === 'expired' || check.reason === 'revoked') throw gone('window_closed', CLOSED);
    throw notFound('page');
  }
  const round = await em.findOne(StarRound, { id: check.link.subjectId }, { populate: ['organization'] });
  if (!round) throw notFound('page');
  const enrolment = await em.findOneOrFail(StarEnrolment, { organization: round.organization.id });
  const status = round.status as StarRatingStatus;
  const open = !enrolment.endedAt && status.phase === 'publication' && !status.publication?.closed;
  return { round, org: round.organization.getEntity(), enrolment, status, open };
}

export async function publicPage(caller: Caller, token: string) {
  const { round, org, status, open } = await roundOfLink(caller, token);
  return {
    organization: org.name,
    partyOrganization: org.partyOrgName ?? null,
    year: round.year,
    proposedStars: round.proposedStars ?? null,
    total: round.total == null ? null : Number(round.total),
    publication: { from: status.publication?.from ?? null, to: status.publication?.to ?? null, open },
    objection: { maxLength: PUBLIC_OBJECTION_MAX_LENGTH, how: 'POST this address with {"text": "…"} while the window is open' },
  };
}

export async function lodgeObjection(deps: StarDeps, caller: Caller, token: string, given: string) {
  const { em } = caller;
  const { round, org, enrolment, open } = await roundOfLink(caller, token);
  const text = given.trim();
  if (!text) throw badRequest('an objection needs a text', [{ field: 'body.text', rule: 'must not be blank' }]);
  if (!open) throw conflictOf('window_closed', CLOSED);
  const cycle = await starCycleInForce(em, enrolment.departmentUnit.id, round.year);
  const perHour = resolveStarSettings(cycle?.settings ?? {}).settings.publicObjectionsPerHour;
  const client = hashSecret(`client:${caller.ip}`);
  const lastHour = { $gt: new Date(deps.clock.now().getTime() - 3_600_000) };
  const recent = await em.count(StarPublicObjection, { organization: org.id, year: round.year, clientHash: client, createdAt: lastHour });
  if (recent >= perHour) throw rateLimited(`at most ${perHour} objections an hour from one client`);
  const entityId = `${org.id}/${round.year}`;
  const row = await em.transactional(async (tx) => {
    const created = tx.create(StarPublicObjection, { organization: org.id, year: round.year, text, clientHash: client } as never);
    await tx.flush();
    const after = { objectionId: created.id, length: text.length, client };
    await recordAudit(tx, { actor: PUBLIC_LINK_ACTOR, action: 'star_rating.public_objection', entityType: 'star_round', entityId, after });
    return created;
  });
  // A refused or unanswered objection stays on record unaccepted (it counts for the client's hourly limit).
  const actor: Actor = { accountId: '', login: 'public-link', roles: ['public'] };
  const handle = deps.temporal.workflow.getHandle(enrolment.workflowId);
  await tellWorkflow(() => takeUpdate(deps.bounds, handle, fileStarObjection, [{ actor, objectionId: row.id, text }]));
  const accepted = { actor: PUBLIC_LINK_ACTOR, action: 'star_rating.public_objection_accepted', entityType: 'star_round', entityId };
  await em.transactional((tx) => recordAudit(tx, { ...accepted, after: { objectionId: row.id } }));
  return { accepted: true, objectionId: row.id };
}
