// Ballots of rounds whose schemes vote (最美网格员/楼栋长, 述职评议): what a voter sees and casts,
// the 述职 reports voters read, the department's progress of its named voters and its choice of
// them. A named voter (党员代表) needs no staff role: access comes from the round's voter list
// (roundFor), and these routes give nothing beyond the ballot — the vote goes through the same
// checks and workflow update as any filing (sourcesFor, entriesProblems, the validator).
import { badRequest, DomainError, isDomainError, notFound } from '../../../domain/errors.ts';
import { castsVote, indicatorsOf, type Entry, type SourceKind } from '../../../domain/assessment/rules.ts';
import { escapeLike } from '../../../domain/auth/scope.ts';
import {
  asDepartment, ballotsEvery, nominatingPaths, readsReport, roundFor, sourcesFor, type Caller, type RoundAccess, type SubjectRow,
} from './access.ts';
import type { createRoundService } from './rounds.ts';
import type { createScoringService } from './scoring.ts';

type Rounds = ReturnType<typeof createRoundService>;
type Scoring = ReturnType<typeof createScoringService>;
type Row = SubjectRow & { unit_name: string };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function createBallotService(rounds: Rounds, scoring: Scoring) {
  async function subjectRows(c: Caller, roundId: string) {
    return c.em.execute<Row[]>(
      `select s.*, u.path unit_path, u.name unit_name from assessment_subject s join administrative_unit u on u.id = s.unit_id
        where s.round_id = ? order by s.name, s.id`, [roundId]);
  }

  /** The voting sources the caller votes as on each subject (during scoring only). */
  function votingSources(c: Caller, access: RoundAccess, rows: Row[]) {
    const d = access.round.definition;
    const peerPaths = rows.filter((s) => s.account_id === c.principal.accountId).map((s) => s.unit_path);
    return new Map(rows.map((s) => [s.id, sourcesFor(c, access, s, peerPaths).filter((k) => castsVote(d, k))]));
  }

  /** Rounds the caller is a named voter of, newest first. */
  async function mine(c: Caller) {
    const rows = await c.em.execute<{ id: string }[]>(
      `select distinct r.id, r.started_at from assessment_voter v join assessment_round r on r.id = v.round_id
        where v.account_id = ? order by r.started_at desc limit 100`, [c.principal.accountId]);
    const items = [];
    for (const { id } of rows) {
      const access = await roundFor(c, id);
      const subjects = await subjectRows(c, id);
      const [{ n }] = (await c.em.execute<{ n: string }[]>(
        `select count(distinct f.subject_id) n from assessment_filing f join assessment_subject s on s.id = f.subject_id
          where s.round_id = ? and f.account_id = ? and f.source = any(?::text[])`,
        [id, c.principal.accountId, `{${(access.named ?? []).join(',')}}`])) as [{ n: string }];
      items.push({ id, schemeName: access.round.definition.name, period: access.round.period, unitName: access.round.unit_name,
        stage: access.round.stage, sources: access.named ?? [], subjects: subjects.length, voted: Number(n) });
    }
    return { items };
  }

  async function ballot(c: Caller, roundId: string) {
    const access = await roundFor(c, roundId);
    const d = access.round.definition;
    const rows = await subjectRows(c, roundId);
    const sources = votingSources(c, access, rows);
    const seen = rows.filter((s) => ballotsEvery(access) || (sources.get(s.id) ?? []).length > 0);
    const filings = await c.em.execute<{ subject_id: string; source: string; account_id: string; entries: Record<string, Entry> }[]>(
      `select f.subject_id, f.source, f.account_id, f.entries from assessment_filing f join assessment_subject s on s.id = f.subject_id
        where s.round_id = ? and (f.account_id = ? or f.source = 'self')`, [roundId, c.principal.accountId]);
    const votes = indicatorsOf(d).filter((i) => i.rule === 'vote');
    const texts = indicatorsOf(d).filter((i) => i.rule === 'text');
    const open = access.round.stage === 'scoring';
    return {
      roundId, schemeName: d.name, period: access.round.period, unitName: access.round.unit_name, stage: access.round.stage, canVote: open,
      indicators: votes.map((i) => ({ key: i.key, name: i.name, voters: i.voters ?? [], options: i.options ?? [] })),
      hasReports: texts.length > 0,
      subjects: seen.map((s) => {
        const mineHere = filings.filter((f) => f.subject_id === s.id && f.account_id === c.principal.accountId && castsVote(d, f.source as SourceKind));
        return {
          id: s.id, name: s.name, unitName: s.unit_name, sources: open ? (sources.get(s.id) ?? []) : [],
          votes: Object.fromEntries(mineHere.map((f) => [f.source, Object.fromEntries(Object.entries(f.entries)
            .filter(([, e]) => 'choice' in e).map(([k, e]) => [k, (e as { choice: number }).choice]))])),
          reportFiled: texts.length > 0 && filings.some((f) => f.subject_id === s.id && f.source === 'self'),
        };
      }),
    };
  }

  async function vote(c: Caller, roundId: string, subjectId: string, body: { source: SourceKind; choices: Record<string, number> }) {
    const access = await roundFor(c, roundId);
    if (!castsVote(access.round.definition, body.source)) {
      throw badRequest('this source does not vote in this scheme', [{ field: 'body.source', rule: 'must be a source that votes in this scheme' }]);
    }
    const scores = Object.fromEntries(Object.entries(body.choices).map(([k, choice]) => [k, { choice }]));
    try {
      return await scoring.file(c, roundId, subjectId, { source: body.source, scores });
    } catch (error) {
      // The fields of the vote's body: body.choices.<indicator>, not the scores' shape it was filed as.
      if (isDomainError(error) && error.details.length) {
        throw new DomainError(error.kind, error.code, error.message,
          error.details.map((d) => ({ ...d, field: d.field.replace(/^body\.scores\.([^.]+)(\.choice)?$/, 'body.choices.$1') })));
      }
      throw error;
    }
  }

  /** The 述职 of one assessed: read by the department, the named voters, staff over the assessed and the assessed. */
  async function reports(c: Caller, roundId: string, subjectId: string) {
    const { access, subject } = await rounds.subjectFor(c, roundId, subjectId);
    if (!readsReport(c, access, subject)) throw notFound('assessed person or unit');
    const texts = indicatorsOf(access.round.definition).filter((i) => i.rule === 'text');
    const [filing] = await c.em.execute<{ entries: Record<string, { text?: string; answers?: string[] }>; filed_at: Date }[]>(
      `select entries, filed_at from assessment_filing where subject_id = ? and source = 'self' order by filed_at desc limit 1`, [subjectId]);
    return {
      subjectId, name: subject.name, filedAt: filing ? iso(filing.filed_at) : null,
      items: texts.map((i) => ({ key: i.key, name: i.name, prompts: i.prompts ?? [], minLength: i.minLength ?? 1,
        text: filing?.entries[i.key]?.text ?? null, answers: filing?.entries[i.key]?.answers ?? [] })),
    };
  }

  const department = async (c: Caller, roundId: string) => asDepartment(await roundFor(c, roundId), 'sees the voters');

  /** Who of the named voters has voted on how many subjects. */
  async function progress(c: Caller, roundId: string) {
    await department(c, roundId);
    const rows = await c.em.execute<{ source: string; account_id: string; display_name: string; login: string; voted: string }[]>(
      `select v.source, v.account_id, a.display_name, a.login,
              (select count(*) from assessment_filing f join assessment_subject s on s.id = f.subject_id
                where s.round_id = v.round_id and f.account_id = v.account_id and f.source = v.source) voted
         from assessment_voter v join account a on a.id = v.account_id where v.round_id = ? order by v.source, a.display_name, a.id`, [roundId]);
    const subjects = (await subjectRows(c, roundId)).length;
    const bySource = [...new Set(rows.map((r) => r.source))];
    return {
      roundId, subjects,
      sources: bySource.map((source) => ({ source, voters: rows.filter((r) => r.source === source)
        .map((r) => ({ accountId: r.account_id, name: r.display_name, login: r.login, voted: Number(r.voted) })) })),
    };
  }

  /** Active accounts of people in the round's unit (their person's unit or a role there): whom the department may name. */
  async function voterCandidates(c: Caller, roundId: string, q?: string) {
    const access = await department(c, roundId);
    return { items: await candidatesIn(c, access.round.unit_path, q) };
  }

  async function candidatesIn(c: Caller, unitPath: string, q?: string, ids?: string[]) {
    const like = `%${escapeLike(q?.trim() ?? '')}%`;
    const rows = await c.em.execute<{ id: string; display_name: string; login: string; unit_name: string | null }[]>(
      `select a.id, a.display_name, a.login, min(coalesce(pu.name, ru.name)) unit_name from account a
         left join person pe on pe.id = a.person_id left join administrative_unit pu on pu.id = pe.unit_id and pu.path like ?
         left join role_assignment ra on ra.account_id = a.id
         left join administrative_unit ru on ru.id = ra.unit_id and ru.path like ?
        where a.active and (pu.id is not null or ru.id is not null) and (a.login ilike ? or a.display_name ilike ?)
          ${ids ? 'and a.id = any(?::uuid[])' : ''}
          and not exists (select 1 from role_assignment x where x.account_id = a.id and x.role = 'admin')
        group by a.id order by a.display_name, a.id limit ${ids ? 500 : 20}`,
      [`${escapeLike(unitPath)}%`, `${escapeLike(unitPath)}%`, like, like, ...(ids ? [`{${ids.join(',')}}`] : [])]);
    return rows.map((r) => ({ accountId: r.id, name: r.display_name, login: r.login, unitName: r.unit_name }));
  }

  /** The units a nominator may propose candidates in, with the role's holders (role targets). */
  async function nominationCandidates(c: Caller, roundId: string) {
    const access = await roundFor(c, roundId);
    const d = access.round.definition;
    if (!d.nomination || d.target.kind === 'organization') return { targetKind: d.target.kind, units: [] };
    const paths = nominatingPaths(c, access.round);
    if (!paths.length) return { targetKind: d.target.kind, units: [] };
    const within = paths.map(() => 'u.path like ?').join(' or ');
    const units = await c.em.execute<{ id: string; name: string }[]>(
      `select u.id, u.name from administrative_unit u where u.level = ? and u.path like ? and (${within}) order by u.path limit 500`,
      [d.target.unitLevel, `${escapeLike(access.round.unit_path)}%`, ...paths.map((p) => `${escapeLike(p)}%`)]);
    const holders = d.target.kind === 'role' && units.length ? await c.em.execute<{ unit_id: string; account_id: string; display_name: string }[]>(
      `select ra.unit_id, ra.account_id, a.display_name from role_assignment ra join account a on a.id = ra.account_id and a.active
        where ra.role = ? and ra.unit_id = any(?::uuid[]) order by a.display_name`, [d.target.role, `{${units.map((u) => u.id).join(',')}}`]) : [];
    return {
      targetKind: d.target.kind,
      units: units.map((u) => ({ id: u.id, name: u.name,
        holders: holders.filter((h) => h.unit_id === u.id).map((h) => ({ accountId: h.account_id, name: h.display_name })) })),
    };
  }

  return { mine, ballot, vote, reports, progress, voterCandidates, candidatesIn, nominationCandidates };
}
