// A round's report to a body outside the tree (the scheme's outputs.reportTo, e.g. 住建/房管 for property
// services): its data for the report pipeline once the results are final, and the PDF's hash on the round.
// Whether and when it was sent, and by whom, the department records through the API.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { departmentIssuer } from '../domain/documents/issuer.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { SchemeDefinition } from '../domain/assessment/rules.ts';
import type { ReportRequest } from '../domain/reports/contracts.ts';
import type { AssessmentReportToData } from '../reports/contracts/assessment-report-to.ts';

const SIGNER_NAMES: Record<string, string> = { street_committee: '街道党工委', org_department: '组织部门', community_committee: '社区党组织' };
const SOURCE_STEPS: Record<string, string> = { supervisor: '上级党组织评价', self: '自评', peers: '互评', residents: '群众评议', department: '组织部门评分' };

export function createAssessmentReportToActivities(deps: { orm: MikroORM }) {
  const fork = () => deps.orm.em.fork() as EntityManager;
  return {
    async prepareAssessmentReportTo(input: { roundId: string; at: number }): Promise<ReportRequest> {
      const em = fork();
      const [round] = await em.execute<{ unit_id: string; region: string; period: string; definition: SchemeDefinition }[]>(
        `select r.unit_id, u.name region, r.period, v.definition from assessment_round r join administrative_unit u on u.id = r.unit_id
           join assessment_scheme_version v on v.scheme_id = r.scheme_id and v.version = r.version where r.id = ?`, [input.roundId]);
      if (!round) throw new Error(`assessment round ${input.roundId} is not recorded`);
      const d = round.definition;
      const subjects = await em.execute<{ name: string; unit_name: string; total: string; rank: number; band: string }[]>(
        `select s.name, u.name unit_name, s.total, s.rank, s.band from assessment_subject s join administrative_unit u on u.id = s.unit_id
          where s.round_id = ? order by s.rank, s.name`, [input.roundId]);
      const issuer = await departmentIssuer(em, round.unit_id);
      const bandName = new Map(d.bands.map((b) => [b.key, b.name]));
      const rated = d.target.kind === 'organization' && d.firstReview?.source === 'supervisor' ? '社区党组织评价' : null;
      const steps = [
        ...d.sources.map((s) => (s.kind === 'supervisor' && rated ? rated : SOURCE_STEPS[s.kind]!)),
        ...(d.firstReview ? [`${SIGNER_NAMES[d.firstReview.role]}初审`] : []),
        ...d.signOff.map((r) => `${SIGNER_NAMES[r]}${r === 'org_department' ? '评定' : '审核'}`),
        ...(d.publicityDays ? [`公示${d.publicityDays}天`] : []),
      ];
      const data: AssessmentReportToData = {
        addressee: d.outputs.reportTo!, scheme: d.name, period: round.period, region: round.region, decidedOn: shanghaiDate(new Date(input.at)),
        steps: [...new Set(steps)],
        grades: d.bands.map((b) => ({ name: b.name, count: subjects.filter((s) => s.band === b.key).length })),
        entries: subjects.map((s) => ({ rank: s.rank, name: s.name, unit: s.unit_name, totalScore: Number(s.total), grade: bandName.get(s.band) ?? s.band })),
        signatures: [{ role: issuer?.name ?? '组织部门', signer: null, date: shanghaiDate(new Date(input.at)), decision: null, seal: true }],
      };
      return { type: 'assessment-report-to', data, meta: { issuingUnit: issuer?.name ?? round.region, sealCaption: issuer?.sealCaption },
        subjectType: 'assessment_round', subjectId: input.roundId, createdBy: `workflow:assessment-round/${input.roundId}` };
    },

    async recordAssessmentReportTo(input: { roundId: string; sha256: string }): Promise<void> {
      await fork().execute('update assessment_round set regulator_report_sha256 = ?, revision = revision + 1 where id = ?', [input.sha256, input.roundId]);
    },
  };
}
