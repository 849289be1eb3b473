// One-time codes: a batch printed on slips, or one per person of a roster (name and mobile),
// sent by SMS through the department's SMS channel (the notice outbox sends them and retries). The codes are shown once, when issued; the
// database keeps their hash, the holder's name and a masked number (one code per number).
import { randomInt, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, type Principal } from '../../../domain/auth/principal.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { clockOf } from '../../../domain/clock.ts';
import { badRequest, conflict, type ErrorDetail } from '../../../domain/errors.ts';
import { queueDirect } from '../../../domain/notifications/delivery.ts';
import { CODE_ALPHABET, CODE_LENGTH, MAX_CODES_PER_BATCH, PURPOSE_SUBJECTS, type SurveyPurpose } from '../../../domain/surveys/contracts.ts';
import { MOBILE, maskPhone, printedCode } from '../../../domain/surveys/rules.ts';
import { ensureSurvey, findSurvey } from './surveys.ts';
import { managedSubject } from './subjects.ts';

export interface IssueCodesBody {
  /** A batch of anonymous codes to print. */
  count?: number;
  /** Or one code per person, sent by SMS when `send`. */
  roster?: { name: string; phone: string }[];
  send?: boolean;
}

const newCode = () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

function rosterErrors(body: IssueCodesBody): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if ((body.count === undefined) === (body.roster === undefined)) {
    errors.push({ field: 'body', rule: 'must give either count (codes to print) or roster (people to send codes to)' });
    return errors;
  }
  if (body.count !== undefined && (!Number.isInteger(body.count) || body.count < 1 || body.count > MAX_CODES_PER_BATCH)) {
    errors.push({ field: 'body.count', rule: `must be a whole number from 1 to ${MAX_CODES_PER_BATCH}` });
  }
  const roster = body.roster ?? [];
  if (body.roster && (roster.length < 1 || roster.length > MAX_CODES_PER_BATCH)) {
    errors.push({ field: 'body.roster', rule: `must list 1 to ${MAX_CODES_PER_BATCH} people` });
  }
  const seen = new Set<string>();
  roster.forEach((person, i) => {
    if (!person.name.trim() || person.name.trim().length > 50) errors.push({ field: `body.roster.${i}.name`, rule: 'must be 1 to 50 characters' });
    if (!MOBILE.test(person.phone)) errors.push({ field: `body.roster.${i}.phone`, rule: 'must be a mainland mobile number of 11 digits' });
    else if (seen.has(person.phone)) errors.push({ field: `body.roster.${i}.phone`, rule: 'must not appear twice in the roster' });
    seen.add(person.phone);
  });
  return errors;
}

/** The nearest SMS channel switched on above the subject's unit (the department's), or null. */
async function smsChannelOver(em: EntityManager, unitPath: string) {
  const ancestors = unitPath.split('/').filter(Boolean);
  if (ancestors.length === 0) return null;
  const rows = await em.execute<{ id: string; unit_id: string; kind: 'sms' }[]>(
    `select c.id, c.unit_id, c.kind from notification_channel c join administrative_unit u on u.id = c.unit_id
       where c.kind = 'sms' and c.enabled and c.unit_id in (${ancestors.map(() => '?').join(', ')}) order by u.depth desc limit 1`, ancestors);
  return rows[0] ?? null;
}

/** `link`: the page the codes are answered on, named in the SMS (an assessment round's residents' page). */
export async function issueCodes(em: EntityManager, principal: Principal, purpose: SurveyPurpose, subjectId: string, body: IssueCodesBody, sandboxed: boolean,
  link?: string) {
  const subject = await managedSubject(em, principal, purpose, subjectId);
  const errors = rosterErrors(body);
  if (errors.length > 0) throw badRequest('the codes cannot be issued', errors);
  const people = body.roster?.map((p) => ({ name: p.name.trim(), phone: p.phone })) ?? Array.from({ length: body.count! }, () => null);
  const now = clockOf(em).now();
  const issued = await em.transactional(async (tx) => {
    const survey = await ensureSurvey(tx, purpose, subjectId);
    await tx.execute('select id from survey where id = ? for update', [survey.id]);
    if (body.roster) {
      const hashes = people.map((p) => hashSecret(`${survey.id}:${p!.phone}`));
      const taken = await tx.execute<{ phone_hash: string }[]>(
        `select phone_hash from survey_code where survey_id = ? and phone_hash in (${hashes.map(() => '?').join(', ')})`, [survey.id, ...hashes]);
      const takenSet = new Set(taken.map((t) => t.phone_hash));
      const repeats = hashes.flatMap((h, i) => (takenSet.has(h) ? [{ field: `body.roster.${i}.phone`, rule: 'already has a code for this survey' }] : []));
      if (repeats.length > 0) throw conflict('some people already have a code for this survey', repeats, 'code_already_issued');
    }
    const [last] = await tx.execute<{ serial: number | null }[]>('select max(serial) as serial from survey_code where survey_id = ?', [survey.id]);
    let serial = last!.serial ?? 0;
    const out = people.map((person) => {
      serial += 1;
      return { id: randomUUID(), serial, code: newCode(), person };
    });
    for (let i = 0; i < out.length; i += 500) {
      const chunk = out.slice(i, i + 500);
      await tx.execute(
        `insert into survey_code (id, survey_id, code_hash, serial, holder, phone_hash, phone_masked, created_at)
           values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((c) => [c.id, survey.id, hashSecret(`${survey.id}:${c.code}`), c.serial, c.person?.name ?? null,
          c.person ? hashSecret(`${survey.id}:${c.person.phone}`) : null, c.person ? maskPhone(c.person.phone) : null, now]),
      );
    }
    // A roster's survey is answered with codes from now on (a printed batch leaves the mode as it is).
    if (body.roster) await tx.execute(`update survey set mode = 'codes', updated_at = ? where id = ?`, [now, survey.id]);
    await recordAudit(tx, {
      actor: auditActor(principal), action: 'survey.codes_issue', entityType: 'survey', entityId: survey.id,
      after: { count: out.length, roster: Boolean(body.roster), firstSerial: out[0]!.serial, lastSerial: serial, subject: subject.label },
    });
    const unsent = body.roster && body.send ? await queueCodes(tx, subject.unitPath, purpose, out, sandboxed, now, link) : undefined;
    return { out, unsent };
  });
  // The request answers now: the messages leave with the dispatcher's next round.
  return {
    codes: issued.out.map((c) => ({
      serial: c.serial, code: printedCode(c.code), holder: c.person?.name ?? null, phone: c.person ? maskPhone(c.person.phone) : null,
      sent: false, queued: issued.unsent === null, sendError: issued.unsent ?? null,
    })),
  };
}

/**
 * Puts each roster code's SMS in the notice outbox (sent by the delivery dispatcher, retried on failure),
 * in the issuing transaction; returns why they cannot go (no channel, the sandbox), written on the codes, or null.
 */
type Issued = { id: string; code: string; person: { name: string; phone: string } | null };
async function queueCodes(tx: EntityManager, unitPath: string, purpose: SurveyPurpose, issued: Issued[], sandboxed: boolean, now: Date, link?: string) {
  const channel = sandboxed ? null : await smsChannelOver(tx, unitPath);
  if (!channel) {
    const reason = sandboxed ? 'the sandbox sends no messages outside the application' : 'no SMS channel is switched on for this department';
    await tx.execute('update survey_code set send_error = ? where id in (?)', [reason, issued.map((c) => c.id)]);
    return reason;
  }
  await queueDirect(tx, channel, issued.map((c) => ({
    address: c.person!.phone, surveyCodeId: c.id, subject: `测评码${printedCode(c.code)}`,
    text: `${c.person!.name}您好，您的${PURPOSE_SUBJECTS[purpose].title}测评码为${printedCode(c.code)}，仅可使用一次。${link ? `请打开 ${link} 作答。` : ''}`,
  })), now);
  return null;
}

/** The codes issued (never the codes themselves): serial, holder, masked number, sent, used. */
export async function listCodes(em: EntityManager, principal: Principal, purpose: SurveyPurpose, subjectId: string) {
  await managedSubject(em, principal, purpose, subjectId);
  const survey = await findSurvey(em, purpose, subjectId);
  if (!survey) return { items: [] };
  type Row = {
    serial: number; holder: string | null; phone_masked: string | null; sent_at: Date | null; send_error: string | null; used_at: Date | null; queued: boolean;
  };
  // A code's SMS is its outbox row (sent, being retried, or given up), or why it was never queued.
  const rows = await em.execute<Row[]>(
    `select s.serial, s.holder, s.phone_masked, coalesce(s.sent_at, d.sent_at) as sent_at, s.used_at, coalesce(d.status = 'pending', false) as queued,
            coalesce(s.send_error, case when d.status = 'failed' then d.last_error end) as send_error
       from survey_code s left join notification_delivery d on d.survey_code_id = s.id where s.survey_id = ? order by s.serial`, [survey.id]);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    items: rows.map((r) => ({
      serial: r.serial, holder: r.holder, phone: r.phone_masked, sentAt: iso(r.sent_at), sendError: r.send_error, queued: r.queued, usedAt: iso(r.used_at),
    })),
  };
}
