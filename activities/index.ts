// All activities of the service, built from their dependencies (no globals), so tests can
// pass their own ORM, renderer or clock.
import type { MikroORM } from '@mikro-orm/core';
import { createDualCommitmentActivities } from './dual-commitment.ts';
import { createStarRatingActivities, type StarReportRenderer } from './star-rating.ts';
import { createPostingActivities } from './posting.ts';

export interface ActivityDeps {
  orm: MikroORM;
  /** Where generated files (report PDFs) are kept. */
  dataDir?: string;
  /** The PDF renderer; without it activities skip PDFs. */
  reports?: StarReportRenderer | null;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPostingActivities({ orm: deps.orm }),
    ...createDualCommitmentActivities({ orm: deps.orm }),
    ...createStarRatingActivities({ orm: deps.orm, dataDir: deps.dataDir ?? 'data', reports: deps.reports ?? null }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
