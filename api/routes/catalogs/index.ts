// Versioned catalogs. Every edit is a new version (POST .../versions); versions are never
// changed in place, so a cycle keeps the version it started with. Everyone signed in reads
// them; the organization department writes them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type TSchema } from 'typebox';
import { CatalogVersion } from '../../../domain/entities/catalog-version.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import type { CatalogKind } from '../../../domain/catalogs/kinds.ts';
import { catalogRuleViolations } from '../../../domain/catalogs/rules.ts';
import { DualCommitmentCatalogSchema, IncentiveCatalogSchema, StarRatingCatalogSchema } from '../../../domain/catalogs/schemas.ts';
import { defaultDualCommitmentCatalog } from '../../../domain/catalogs/dual-commitment.ts';
import { defaultResidentUnitCatalog } from '../../../domain/catalogs/resident-unit.ts';
import { defaultStarRatingCatalog } from '../../../domain/catalogs/star-rating.ts';
import { defaultIncentiveCatalog } from '../../../domain/catalogs/incentives.ts';
import { badRequest, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page, Uuid, Nullable } from '../../schemas/common.ts';
import { CatalogDetail, CatalogQuery, CatalogSummary, catalogDetailDto, catalogExample, catalogSummaryDto } from '../../schemas/catalogs.ts';

const WRITE: Role[] = ['org_department', 'admin'];
const tags = ['catalogs'];

const KINDS: { kind: CatalogKind; path: string; content: TSchema; example: unknown; summary: string }[] = [
  {
    kind: 'dual_commitment',
    path: 'dual-commitment',
    content: DualCommitmentCatalogSchema,
    example: defaultDualCommitmentCatalog,
    summary: 'New version of the dual-commitment catalog (双向承诺事项目录)',
  },
  {
    kind: 'resident_unit_commitment',
    path: 'resident-unit-commitment',
    content: DualCommitmentCatalogSchema,
    example: defaultResidentUnitCatalog,
    summary: 'New version of the 四双 catalog of resident units (驻区单位“四双”承诺事项目录)',
  },
  {
    kind: 'star_rating',
    path: 'star-rating',
    content: StarRatingCatalogSchema,
    example: defaultStarRatingCatalog,
    summary: 'New version of the star-rating indicator system (三维一体; weights add up to 100)',
  },
  {
    kind: 'incentive',
    path: 'incentive',
    content: IncentiveCatalogSchema,
    example: defaultIncentiveCatalog,
    summary: 'New version of the incentive list (激励措施清单)',
  },
];

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/catalogs', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Catalog versions, newest first', querystring: CatalogQuery, response: { 200: Page(CatalogSummary, catalogExample) } },
  }, async (request) => {
    const { kind, limit, offset } = request.query;
    const [items, total] = await emOf(request).findAndCount(CatalogVersion, kind ? { kind } : {}, { limit, offset, orderBy: { kind: 'asc', version: 'desc' } });
    return { items: items.map(catalogSummaryDto), total, limit, offset };
  });

  app.get('/catalogs/:id', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'One catalog version with its content', params: IdParams, response: { 200: CatalogDetail } },
  }, async (request) => {
    const em = emOf(request);
    const version = await em.findOne(CatalogVersion, { id: request.params.id });
    if (!version) throw notFound('catalog version');
    return catalogDetailDto(version, await em.count(Cycle, { $or: [{ catalogVersion: version.id }, { incentiveCatalogVersion: version.id }] }));
  });

  for (const def of KINDS) {
    const Body = Type.Object({
      name: Type.String({ minLength: 1, maxLength: 200 }),
      basedOnId: Type.Optional(Nullable(Uuid)),
      content: def.content,
    }, { additionalProperties: false, examples: [{ name: `${def.kind} 2027`, content: def.example }] });

    app.post(`/catalogs/${def.path}/versions`, {
      config: { auth: { roles: WRITE } },
      schema: { tags, summary: def.summary, body: Body, response: { 201: CatalogDetail } },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body as { name: string; basedOnId?: string | null; content: unknown };
      const violations = catalogRuleViolations(def.kind, body.content);
      if (violations.length > 0) throw badRequest(`invalid catalog: ${violations.map((v) => `${v.field} ${v.rule}`).join('; ')}`, violations);
      const dto = await emOf(request).transactional(async (em) => {
        if (body.basedOnId && !(await em.count(CatalogVersion, { id: body.basedOnId, kind: def.kind }))) {
          throw badRequest('unknown base version', [{ field: 'body.basedOnId', rule: `must be a ${def.kind} catalog version` }]);
        }
        // Serialize version numbering per kind; the unique (kind, version) index is the backstop.
        await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`catalog:${def.kind}`]);
        const [last] = await em.find(CatalogVersion, { kind: def.kind }, { orderBy: { version: 'desc' }, limit: 1 });
        const version = em.create(CatalogVersion, {
          kind: def.kind, version: (last?.version ?? 0) + 1, name: body.name, isDefault: false, content: body.content,
          basedOn: body.basedOnId ?? null, createdBy: principal.accountId,
        });
        await em.flush();
        const after = catalogDetailDto(version);
        await recordAudit(em, { actor: auditActor(principal), action: 'catalog.create_version', entityType: 'catalog_version', entityId: version.id, after });
        return after;
      });
      return reply.status(201).send(dto);
    });
  }
};
