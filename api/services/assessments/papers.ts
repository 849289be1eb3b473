// The papers of a round's assessed (issue 19): one 考核评分表 and one 考核结果通知书 per assessed person or
// unit, printed by the round's workflow and kept in the report store by SHA-256. The department reads
// all of them (and takes them all as one zip for the clerk); staff over an assessed one's unit read its
// papers; the assessed reads its own and nobody else's; another district gets 404.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { notFound } from '../../../domain/errors.ts';
import type { PaperKind } from '../../../domain/assessment/papers.ts';
import { reportRelativePath } from '../../../reports/store.ts';
import { storedZip } from '../export/zip.ts';
import { asDepartment, readsPapers, roundFor, type AssessmentDeps, type Caller } from './access.ts';

const PAPER_NAMES: Record<PaperKind, string> = { score_sheet: '考核评分表', result_notice: '考核结果通知书' };

export interface PaperSubject {
  id: string; name: string; account_id: string | null; organization_id: string | null; unit_id: string; unit_path: string; rank: number | null;
  score_sheet_sha256: string | null; notice_sha256: string | null;
}

const shaOf = (s: PaperSubject, kind: PaperKind) => (kind === 'score_sheet' ? s.score_sheet_sha256 : s.notice_sha256);
/** A file name a clerk can sort: rank, name, paper (no path separators). */
const fileName = (s: PaperSubject, kind: PaperKind) =>
  `${String(s.rank ?? 0).padStart(3, '0')}-${s.name.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60)}-${PAPER_NAMES[kind]}.pdf`;

export function createPaperService(deps: AssessmentDeps) {
  const subjectsOf = (c: Caller, roundId: string, subjectId: string | null) => c.em.execute<PaperSubject[]>(
    `select s.id, s.name, s.account_id, s.organization_id, s.unit_id, u.path unit_path, s.rank, s.score_sheet_sha256, s.notice_sha256
       from assessment_subject s join administrative_unit u on u.id = s.unit_id where s.round_id = ? and (?::uuid is null or s.id = ?::uuid)
      order by s.rank nulls last, s.name, s.id`, [roundId, subjectId, subjectId]);
  const pdfOf = (sha256: string) => readFile(path.join(deps.dataDir, reportRelativePath(sha256)));

  /** One paper of one assessed: 404 when the caller may not read it or it is not printed (yet). */
  async function paper(c: Caller, roundId: string, subjectId: string, kind: PaperKind) {
    const access = await roundFor(c, roundId);
    const [s] = await subjectsOf(c, roundId, subjectId);
    if (!s || !readsPapers(c, access, s)) throw notFound('assessed person or unit');
    const sha256 = shaOf(s, kind);
    if (!sha256) throw notFound(PAPER_NAMES[kind]);
    return { sha256, pdf: await pdfOf(sha256), fileName: fileName(s, kind) };
  }

  /** Every printed paper of the round the caller reads, in one zip (by rank; a folder per paper): for the department's clerk. */
  async function all(c: Caller, roundId: string) {
    const access = asDepartment(await roundFor(c, roundId), 'takes every paper', 'assessment round');
    const entries = [];
    for (const s of await subjectsOf(c, roundId, null)) {
      for (const kind of ['score_sheet', 'result_notice'] as const) {
        const sha256 = shaOf(s, kind);
        if (sha256) entries.push({ name: `${PAPER_NAMES[kind]}/${fileName(s, kind)}`, data: await pdfOf(sha256) });
      }
    }
    if (!entries.length) throw notFound('papers');
    return { zip: storedZip(entries, deps.clock.now()), fileName: `${access.round.period}-${access.round.definition.name}-考核文书.zip` };
  }

  return { paper, all };
}

/** Content-Disposition of a download with a Chinese name (RFC 6266: an ASCII fallback and the UTF-8 name). */
export const attachment = (name: string) =>
  `attachment; filename="${name.endsWith('.zip') ? 'papers.zip' : 'paper.pdf'}"; filename*=UTF-8''${encodeURIComponent(name)}`;
