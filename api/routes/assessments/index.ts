// Assessment schemes and their rounds (考核方案, issue 19) over HTTP: schemes.ts (define, copy a
// shipped default, publish versions), rounds.ts (start, read results and ranking, file scores,
// sign off, the ranking PDF and the pay-grade list). Handlers call api/services/assessments/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AssessmentDeps } from '../../services/assessments/access.ts';
import { createSchemeService, ensureShippedSchemes } from '../../services/assessments/schemes.ts';
import { createRoundService } from '../../services/assessments/rounds.ts';
import { createScoringService } from '../../services/assessments/scoring.ts';
import { createRatesService } from '../../services/assessments/rates.ts';
import { createCompoundService } from '../../services/assessments/compounds.ts';
import { schemeRoutes } from './schemes.ts';
import { roundRoutes } from './rounds.ts';
import { rateRoutes } from './rates.ts';
import { objectionRoutes } from './objections.ts';
import { createObjectionService } from '../../services/assessments/objections.ts';
import { createPayGradeService } from '../../services/assessments/pay-grades.ts';
import { nominationRoutes } from './nominations.ts';
import { createNominationService } from '../../services/assessments/nominations.ts';
import { ballotRoutes } from './ballots.ts';
import { createBallotService } from '../../services/assessments/ballots.ts';
import { createPaperService } from '../../services/assessments/papers.ts';
import { paperRoutes } from './papers.ts';
import { residentRoutes } from './residents.ts';
import { createResidentsService } from '../../services/assessments/residents.ts';

export type AssessmentApp = Parameters<FastifyPluginAsyncTypebox>[0];

function createServices(deps: AssessmentDeps) {
  const rounds = createRoundService(deps);
  const scoring = createScoringService(deps, rounds);
  return { schemes: createSchemeService(deps), rounds, scoring, rates: createRatesService(deps),
    compounds: createCompoundService(deps), objections: createObjectionService(deps), payGrades: createPayGradeService(),
    nominations: createNominationService(deps), ballots: createBallotService(rounds, scoring), papers: createPaperService(deps),
    residents: createResidentsService(deps) };
}
export type AssessmentServices = ReturnType<typeof createServices>;

export const assessmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config, clock, orm } = app.services;
  await ensureShippedSchemes(orm.em.fork() as EntityManager);
  const bounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const services = createServices({ temporal, bounds, taskQueue: config.TEMPORAL_TASK_QUEUE, clock, dataDir: config.DATA_DIR });
  schemeRoutes(app, services);
  roundRoutes(app, services);
  rateRoutes(app, services);
  objectionRoutes(app, services);
  nominationRoutes(app, services);
  ballotRoutes(app, services);
  paperRoutes(app, services);
  residentRoutes(app, services);
};
