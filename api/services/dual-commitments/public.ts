// The anonymous pages of the cycle, opened by unguessable links: the published commitments
// (亮诺) with supervision feedback, and the staff survey (评诺); and the feedback as the Party
// organization and the reviewers read it. Writes: commitment_feedback only (what the public
// files; no workflow is told), rate- and length-limited per client and hour.
import type { EntityManager } from '@mikro-orm/postgresql';
import { PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { badRequest, conflictOf, forbidden, notFound, rateLimited } from '../../../domain/errors.ts';
import { CommitmentFeedback, CommitmentSet, CommitmentSetVersion } from '../../../domain/entities/commitment.ts';
import { resolveSettings, variantForKind } from '../../../domain/dual-commitment/rules.ts';
import { PUBLIC_COMMITMENTS, STAFF_SURVEY } from '../../../domain/dual-commitment/contracts.ts';
import { changeWithAudit } from '../../audited.ts';
import type { Answers } from '../../../domain/surveys/contracts.ts';
import { admitAnswer, type SurveyAnswer } from '../surveys/answers.ts';
import { publicSurvey } from '../surveys/surveys.ts';
import { iso } from '../../schemas/common.ts';
import { loadSetFor, type Caller, type DualCommitmentDeps } from './access.ts';

const HOUR_MS = 3_600_000;
const AWARENESS = 'commitment_awareness';
/**
 * A client's 知晓率 answers on a set in the last hour (the rate limit). It names the entity type so
 * that the audit log's (entity_type, entity_id) index finds the set's rows (test/api/surveys checks the plan).
 */
export const RECENT_AWARENESS_SQL = `select count(*) as n from audit_entry where entity_type = 'commitment_set' and entity_id = ?
  and action = 'commitment_set.awareness' and after->>'client' = ? and at > ?`;

/** A staff answer: the questionnaire's answers, or the rating and comment of the one-question survey. */
interface StaffAnswer { rating?: number; comment?: string; answers?: Answers; code?: string }

export function createPublicService(deps: DualCommitmentDeps) {
  const hourAgo = () => new Date(deps.clock.now().getTime() - HOUR_MS);

  async function linkedSet(em: EntityManager, token: string, purpose: string, what: string, populate: ('organization' | 'cycle')[]) {
    const check = await verifyAccessLink(em, token, purpose);
    if (!check.ok) throw notFound(what);
    return em.findOneOrFail(CommitmentSet, { id: check.link.subjectId }, { populate });
  }

  /** 亮诺: the published commitments. */
  async function commitments(em: EntityManager, token: string) {
    const set = await linkedSet(em, token, PUBLIC_COMMITMENTS, 'page', ['organization']);
    const version = await em.findOneOrFail(CommitmentSetVersion, { set: set.id, version: set.approvedVersion! });
    const org = set.organization.getEntity();
    return {
      organization: org.name,
      partyOrganization: org.partyOrgName ?? null,
      year: set.year,
      publication: { from: iso(set.publishedFrom), to: iso(set.publishedTo), feedbackOpen: !set.publicationClosedAt },
      commitments: version.items.map((i) => ({
        side: i.side, title: i.title, content: i.content, target: i.target, indicator: i.indicator, deadline: i.deadline, responsible: i.responsiblePerson.name,
      })),
      awareness: await publicSurvey(em, AWARENESS, set.id),
    };
  }

  /** 知晓率: a reader of the notice says whether they knew the commitments before (one answer per code when codes are used). */
  async function awareness(em: EntityManager, token: string, body: SurveyAnswer, client: string) {
    const set = await linkedSet(em, token, PUBLIC_COMMITMENTS, 'page', ['cycle']);
    const { settings } = resolveSettings(set.year, set.cycle.getEntity().settings);
    const [recent] = await em.execute<{ n: string }[]>(RECENT_AWARENESS_SQL, [set.id, client, hourAgo()]);
    if (Number(recent!.n) >= settings.feedback.perHourPerClient) throw rateLimited(`at most ${settings.feedback.perHourPerClient} answers an hour`);
    const audit = (aware: boolean) => ({ action: 'commitment_set.awareness', entityType: 'commitment_set', entityId: set.id, after: { aware, client } });
    await changeWithAudit<boolean>(em, PUBLIC_LINK_ACTOR, audit, async (tx) => (await admitAnswer(tx, AWARENESS, set.id, body)).aware === true);
    return { accepted: true };
  }

  /** 亮诺: supervision feedback while the publication window is open. */
  async function feedback(em: EntityManager, token: string, body: string, client: string) {
    const set = await linkedSet(em, token, PUBLIC_COMMITMENTS, 'page', ['cycle']);
    if (set.publicationClosedAt) throw conflictOf('window_closed', 'the publication window has closed');
    const { settings } = resolveSettings(set.year, set.cycle.getEntity().settings);
    const text = body.trim();
    if (text.length > settings.feedback.maxLength) {
      throw badRequest('feedback is too long', [{ field: 'body.body', rule: `must be at most ${settings.feedback.maxLength} characters` }]);
    }
    const recent = await em.count(CommitmentFeedback, { set: set.id, kind: 'supervision', clientHash: client, createdAt: { $gt: hourAgo() } });
    if (recent >= settings.feedback.perHourPerClient) throw rateLimited(`at most ${settings.feedback.perHourPerClient} messages an hour`);
    const after = { kind: 'supervision', length: text.length, client };
    const audit = { action: 'commitment_set.feedback', entityType: 'commitment_set', entityId: set.id, after };
    await changeWithAudit(em, PUBLIC_LINK_ACTOR, audit, (tx) => {
      tx.create(CommitmentFeedback, { set: set.id, kind: 'supervision', body: text, clientHash: client } as never);
    });
    return { accepted: true };
  }

  /** The supervision feedback, for the Party organization and the reviewers. */
  async function listFeedback(caller: Caller, setId: string) {
    const { set, em, actor } = await loadSetFor(caller, setId);
    if (actor.roles.length === 1 && actor.roles[0] === 'enterprise_rep') throw forbidden('feedback is visible to the Party organization and the reviewers');
    const rows = await em.find(CommitmentFeedback, { set: set.id, kind: 'supervision' }, { orderBy: { createdAt: 'asc' } });
    return { items: rows.map((r) => ({ body: r.body ?? null, at: r.createdAt.toISOString() })) };
  }

  /** 评诺: what the survey link is about; a resident unit (四双) has no staff survey. */
  async function survey(em: EntityManager, token: string) {
    const set = await linkedSet(em, token, STAFF_SURVEY, 'survey', ['organization']);
    if (variantForKind(set.organization.getEntity().kind) === 'resident_unit') throw notFound('survey');
    const open = set.gate === 'evaluate' && !set.evaluatorSignedAt;
    return { organization: set.organization.getEntity().name, year: set.year, open, survey: await publicSurvey(em, STAFF_SURVEY, set.id) };
  }

  /** 评诺: a staff satisfaction answer (1-5) while the evaluation is open. */
  async function answerSurvey(em: EntityManager, token: string, answer: StaffAnswer, client: string) {
    const set = await linkedSet(em, token, STAFF_SURVEY, 'survey', ['cycle', 'organization']);
    // 四双: a resident unit has no staff survey (a link made before this rule is not honoured).
    if (variantForKind(set.organization.getEntity().kind) === 'resident_unit') throw notFound('survey');
    if (set.gate !== 'evaluate' || set.evaluatorSignedAt) throw conflictOf('survey_closed', 'the survey is closed');
    const { settings } = resolveSettings(set.year, set.cycle.getEntity().settings);
    const recent = await em.count(CommitmentFeedback, { set: set.id, kind: 'satisfaction', clientHash: client, createdAt: { $gt: hourAgo() } });
    if (recent >= settings.feedback.perHourPerClient) throw rateLimited('too many answers from this client');
    const answers = answer.answers ?? { rating: answer.rating, comment: answer.comment?.trim() || undefined };
    const audit = (rating: number) => ({
      action: 'commitment_set.survey_answer', entityType: 'commitment_set', entityId: set.id, after: { kind: 'satisfaction', rating, client },
    });
    await changeWithAudit<number>(em, PUBLIC_LINK_ACTOR, audit, async (tx) => {
      // The survey's own record (questions, one-time code) and the cycle's: the rating the evaluation reads.
      const stored = await admitAnswer(tx, STAFF_SURVEY, set.id, { answers: answers as Answers, code: answer.code });
      const body = typeof stored.comment === 'string' ? stored.comment : null;
      tx.create(CommitmentFeedback, { set: set.id, kind: 'satisfaction', rating: stored.rating as number, body, clientHash: client } as never);
      return stored.rating as number;
    });
    return { accepted: true };
  }

  return { commitments, feedback, awareness, listFeedback, survey, answerSurvey };
}
