// Evidence (佐证材料): multipart upload streamed to content-addressed storage, a new version
// per upload (never an overwrite), each with its effective period; download with the same
// authorization as the organization or unit the evidence belongs to. The metadata travels in
// the query string so the caller is authorized before a byte of the file is read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { EvidenceFile, EvidenceVersion } from '../../../domain/entities/evidence.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, type Principal } from '../../../domain/auth/principal.ts';
import { escapeLike, organizationWhere, readableOrganizationScope, unitPathInScope, type Scope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import {
  DEFAULT_EVIDENCE_MAX_BYTES,
  EVIDENCE_MIME_TYPES,
  EvidenceContentMismatch,
  EvidenceEmpty,
  EvidenceTooLarge,
  openEvidence,
  storeEvidenceStream,
  type StoredBlob,
} from '../../../domain/evidence/storage.ts';
import { badRequest, notFound, unsupportedMedia } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { fileUploadBody } from '../../schemas/upload.ts';
import { ErrorBody, IdParams, Page } from '../../schemas/common.ts';
import { EvidenceFileDto, EvidenceListQuery, EvidenceUploadQuery, EvidenceVersionQuery, evidenceExample, evidenceFileDto } from '../../schemas/evidence.ts';
import { allOf, anyOf } from '../../support/query.ts';
import { uploadError, uploadTooLarge, uploadedFile } from '../../support/upload.ts';

const READ: Role[] = [
  'org_department',
  'street_committee',
  'community_committee',
  'first_secretary',
  'enterprise_rep',
  'enterprise_party_org',
  'evaluator',
  'admin',
];
const WRITE: Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary', 'enterprise_rep', 'enterprise_party_org', 'admin'];
const tags = ['evidence'];
const uploadErrors = { 413: ErrorBody, 415: ErrorBody };

export interface EvidenceRouteOptions {
  maxBytes?: number;
}

/** 404 unless the caller may see (roles) the organization or unit the evidence belongs to. */
async function requireEvidenceOwnerInScope(em: EntityManager, scope: Scope, owner: { organizationId?: string | null; unitId?: string | null }): Promise<void> {
  if (owner.organizationId) {
    const org = await em.findOne(Organization, { id: owner.organizationId }, { populate: ['unit'] });
    if (!org || !(scope.organizationIds.includes(org.id) || unitPathInScope(scope, org.unit.getEntity().path))) throw notFound('organization');
    return;
  }
  const unit = owner.unitId ? await em.findOne(AdministrativeUnit, { id: owner.unitId }) : null;
  if (!unit || !unitPathInScope(scope, unit.path)) throw notFound('unit');
}

async function loadFile(em: EntityManager, principal: Principal, id: string, roles: Role[], lock = false): Promise<EvidenceFile> {
  const file = await em.findOne(EvidenceFile, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!file) throw notFound('evidence');
  try {
    await requireEvidenceOwnerInScope(em, await readableOrganizationScope(em, principal, roles), {
      organizationId: file.organization?.id,
      unitId: file.unit?.id,
    });
  } catch {
    throw notFound('evidence');
  }
  return file;
}

function checkPeriod(from: string, to: string | undefined): void {
  if (to && to < from)
    throw badRequest('effective period ends before it starts', [{ field: 'querystring.effectiveTo', rule: 'must be on or after effectiveFrom' }]);
}

/** Reads the one file part, checks its type (415) and size (413), and stores it. */
async function receiveFile(request: FastifyRequest, maxBytes: number): Promise<{ blob: StoredBlob; mimeType: string; originalName: string }> {
  const part = await uploadedFile(request, maxBytes);
  if (!(part.mimetype in EVIDENCE_MIME_TYPES)) {
    part.file.resume();
    throw unsupportedMedia(`files of type ${part.mimetype} are not accepted`, [
      { field: 'body.file', rule: `type must be one of ${Object.keys(EVIDENCE_MIME_TYPES).join(', ')}` },
    ]);
  }
  try {
    const blob = await storeEvidenceStream(request.server.services.config.DATA_DIR, part.file, part.mimetype);
    return { blob, mimeType: part.mimetype, originalName: part.filename.slice(0, 255) || 'file' };
  } catch (error) {
    if (error instanceof EvidenceEmpty) throw badRequest('empty file', [{ field: 'body.file', rule: 'must not be empty' }]);
    if (error instanceof EvidenceTooLarge) throw uploadTooLarge(maxBytes);
    if (error instanceof EvidenceContentMismatch) {
      throw unsupportedMedia(error.message, [{ field: 'body.file', rule: `content must match its declared type ${error.mimeType}` }]);
    }
    throw uploadError(error, maxBytes);
  }
}

export const evidenceRoutes: FastifyPluginAsyncTypebox<EvidenceRouteOptions> = async (app, options) => {
  const maxBytes = options.maxBytes ?? DEFAULT_EVIDENCE_MAX_BYTES;
  const fileDescription = `multipart/form-data with one file field (any name). Types: ${Object.keys(EVIDENCE_MIME_TYPES).join(', ')}; at most ` +
    `${maxBytes} bytes (413 above, 415 for other types).`;

  app.post(
    '/evidence',
    {
      config: { auth: { roles: WRITE } },
      schema: {
        tags,
        summary: 'File evidence for an organization or unit you may see (version 1)',
        description: fileDescription,
        body: fileUploadBody('the evidence file'),
        querystring: EvidenceUploadQuery,
        response: { 201: EvidenceFileDto, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const q = request.query;
      if (!q.organizationId && !q.unitId)
        throw badRequest('no owner', [
          {
            field: 'querystring.organizationId',
            rule: 'organizationId or unitId is required',
          },
        ]);
      if (Boolean(q.subjectType) !== Boolean(q.subjectId))
        throw badRequest('half a subject', [
          {
            field: 'querystring.subjectId',
            rule: 'subjectType and subjectId go together',
          },
        ]);
      checkPeriod(q.effectiveFrom, q.effectiveTo);
      const em = emOf(request);
      await requireEvidenceOwnerInScope(
        em,
        await readableOrganizationScope(em, principal, WRITE),
        q,
      );
      const received = await receiveFile(request, maxBytes);
      const dto = await em.transactional(async (tx) => {
        const file = tx.create(EvidenceFile, {
          title: q.title,
          organization: q.organizationId ?? null,
          unit: q.organizationId ? null : (q.unitId ?? null),
          subjectType: q.subjectType ?? null,
          subjectId: q.subjectId ?? null,
          latestVersion: 1,
          createdBy: principal.accountId,
        });
        const version = tx.create(EvidenceVersion, {
          file,
          version: 1,
          ...received.blob,
          mimeType: received.mimeType,
          originalName: received.originalName,
          uploadedBy: principal.accountId,
          effectiveFrom: q.effectiveFrom,
          effectiveTo: q.effectiveTo ?? null,
        });
        await tx.flush();
        const after = evidenceFileDto(file, [version]);
        await recordAudit(tx, {
          actor: auditActor(principal),
          action: 'evidence.file',
          entityType: 'evidence_file',
          entityId: file.id,
          after,
        });
        return after;
      });
      return reply.status(201).send(dto);
    },
  );

  app.post(
    '/evidence/:id/versions',
    {
      config: { auth: { roles: WRITE } },
      schema: {
        tags,
        summary: 'Upload a new version of evidence (earlier versions are kept)',
        description: fileDescription,
        body: fileUploadBody('the new version of the file'),
        params: IdParams,
        querystring: EvidenceVersionQuery,
        response: { 201: EvidenceFileDto, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      checkPeriod(request.query.effectiveFrom, request.query.effectiveTo);
      const em = emOf(request);
      await loadFile(em, principal, request.params.id, WRITE);
      const received = await receiveFile(request, maxBytes);
      const dto = await em.transactional(async (tx) => {
        // The row lock numbers concurrent uploads of the same evidence one after the other.
        const file = await loadFile(tx, principal, request.params.id, WRITE, true);
        const before = evidenceFileDto(
          file,
          await tx.find(EvidenceVersion, { file: file.id }),
        );
        file.latestVersion += 1;
        tx.create(EvidenceVersion, {
          file,
          version: file.latestVersion,
          ...received.blob,
          mimeType: received.mimeType,
          originalName: received.originalName,
          uploadedBy: principal.accountId,
          effectiveFrom: request.query.effectiveFrom,
          effectiveTo: request.query.effectiveTo ?? null,
        });
        await tx.flush();
        const after = evidenceFileDto(
          file,
          await tx.find(EvidenceVersion, { file: file.id }),
        );
        await recordAudit(tx, {
          actor: auditActor(principal),
          action: 'evidence.new_version',
          entityType: 'evidence_file',
          entityId: file.id,
          before,
          after,
        });
        return after;
      });
      return reply.status(201).send(dto);
    },
  );

  app.get(
    '/evidence',
    {
      config: { auth: { roles: READ } },
      schema: {
        tags,
        summary: 'Evidence you may see',
        querystring: EvidenceListQuery,
        response: { 200: Page(EvidenceFileDto, evidenceExample) },
      },
    },
    async (request) => {
      const em = emOf(request);
      const scope = await readableOrganizationScope(em, principalOf(request), READ);
      const { organizationId, unitId, subjectType, subjectId, limit, offset } =
        request.query;
      const and: Record<string, unknown>[] = [];
      if (!scope.all) {
        and.push(
          anyOf([
            { organization: organizationWhere(scope) },
            ...scope.unitPaths.map((prefix) => ({
              organization: null,
              unit: { path: { $like: `${escapeLike(prefix)}%` } },
            })),
          ]),
        );
      }
      if (organizationId) and.push({ organization: organizationId });
      if (unitId) and.push({ unit: unitId });
      if (subjectType) and.push({ subjectType });
      if (subjectId) and.push({ subjectId });
      const [files, total] = await em.findAndCount(EvidenceFile, allOf(and), {
        limit,
        offset,
        orderBy: { createdAt: 'desc', id: 'desc' },
      });
      const versions = await em.find(EvidenceVersion, {
        file: { $in: files.map((f) => f.id) },
      });
      return {
        items: files.map((f) =>
          evidenceFileDto(
            f,
            versions.filter((v) => v.file.id === f.id),
          ),
        ),
        total,
        limit,
        offset,
      };
    },
  );

  app.get(
    '/evidence/:id',
    {
      config: { auth: { roles: READ } },
      schema: {
        tags,
        summary: 'One piece of evidence with all its versions',
        params: IdParams,
        response: { 200: EvidenceFileDto },
      },
    },
    async (request) => {
      const em = emOf(request);
      const file = await loadFile(em, principalOf(request), request.params.id, READ);
      return evidenceFileDto(
        file,
        await em.find(EvidenceVersion, { file: file.id }),
      );
    },
  );

  app.get(
    '/evidence/:id/versions/:version/content',
    {
      config: { auth: { roles: READ } },
      schema: {
        tags,
        summary: 'Download one version of the evidence',
        produces: Object.keys(EVIDENCE_MIME_TYPES),
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          version: Type.Integer({ minimum: 1 }),
        }),
        response: {
          200: Type.Unknown({
            description: 'the file, with its stored type; ETag is its SHA-256',
          }),
        },
      },
    },
    async (request, reply) => {
      const em = emOf(request);
      const file = await loadFile(em, principalOf(request), request.params.id, READ);
      const version = await em.findOne(EvidenceVersion, {
        file: file.id,
        version: request.params.version,
      });
      if (!version) throw notFound('evidence version');
      return reply
        .header('content-type', version.mimeType)
        .header('content-length', String(version.sizeBytes))
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(version.originalName)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${version.sha256}"`)
        .send(
          openEvidence(request.server.services.config.DATA_DIR, version.storagePath),
        );
    },
  );
};
