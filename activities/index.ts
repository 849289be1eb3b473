// All activities of the service, built from their dependencies (no globals), so tests can
// pass their own ORM, renderer or clock.
import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from '../domain/clock.ts';
import { createDualCommitmentActivities } from './dual-commitment.ts';
import { createStarRatingActivities } from './star-rating.ts';
import { createPostingActivities } from './posting.ts';
import { createReportRerenderActivities } from './reports.ts';
import { createPointsActivities } from './points.ts';
import { createGridMatterActivities } from './grid-matter.ts';
import { createMemberReportActivities } from './member-report.ts';
import { createAssessmentActivities } from './assessment.ts';
import { createGridSteeringActivities } from './grid-steering.ts';

export interface ActivityDeps {
  orm: MikroORM;
  /** Where generated files (report PDFs) are kept. */
  dataDir?: string;
  /** The service's clock (domain/clock.ts); defaults to the one bound to the ORM. */
  clock?: Clock;
  /** Address of the web application, for the QR codes of public pages printed on notices. */
  publicBaseUrl?: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPostingActivities({ orm: deps.orm, clock: deps.clock, publicBaseUrl: deps.publicBaseUrl }),
    ...createDualCommitmentActivities({ orm: deps.orm, clock: deps.clock, publicBaseUrl: deps.publicBaseUrl }),
    ...createStarRatingActivities({ orm: deps.orm, clock: deps.clock }),
    ...createReportRerenderActivities({ orm: deps.orm }),
    ...createPointsActivities({ orm: deps.orm }),
    ...createGridMatterActivities({ orm: deps.orm, clock: deps.clock }),
    ...createMemberReportActivities({ orm: deps.orm }),
    ...createAssessmentActivities({ orm: deps.orm, clock: deps.clock, publicBaseUrl: deps.publicBaseUrl }),
    ...createGridSteeringActivities({ orm: deps.orm, clock: deps.clock }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
