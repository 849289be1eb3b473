// Imports of units, organizations and people from CSV or .xlsx (the first worksheet, read as a
// stream), with a template of each kind in both formats. The upload answers 202 with an import job;
// the client polls GET /imports/:id for processed/total and, when it failed, every broken
// rule with its row and column. A file is imported whole or not at all.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IMPORT_KINDS, ImportJob, type ImportKind } from '../../../domain/entities/import-job.ts';
import { COLUMNS } from '../../../domain/imports/columns.ts';
import { XLSX_TYPE, fileResponse } from '../../services/export/route.ts';
import { looksLikeXlsx, templateCsv, templateXlsx } from '../../../domain/imports/xlsx.ts';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ERRORS, failIfOrphaned, headerColumnCount, runImport } from '../../../domain/imports/run.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import { isAdmin, scopeOf } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { badRequest, notFound } from '../../../domain/errors.ts';
import { uploadError, uploadedFile } from '../../support/upload.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { fileUploadBody } from '../../schemas/upload.ts';
import { DateTime, ErrorBody, IdParams, Nullable, Uuid, iso } from '../../schemas/common.ts';

const TEMPLATE_NAMES: Record<ImportKind, string> = { units: '行政区划', organizations: '组织', people: '人员' };
const WRITE: Role[] = ['org_department', 'street_committee', 'admin'];
const MAX_CSV_BYTES = 10 * 1024 * 1024;
const tags = ['imports'];

const jobExample = {
  id: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
  kind: 'organizations',
  status: 'failed',
  fileName: 'organizations.csv',
  total: 3,
  processed: 0,
  imported: 0,
  errors: [{ row: 3, column: 'kind', rule: 'must be one of non_public_enterprise, social_organization, resident_unit' }],
  errorCount: 1,
  createdAt: '2026-11-21T08:00:00.000Z',
  finishedAt: '2026-11-21T08:00:01.000Z',
};
const JobDto = Type.Object({
  id: Uuid,
  kind: Type.Enum(IMPORT_KINDS),
  status: Type.Enum(['running', 'succeeded', 'failed'], {
    description:
      'running until every row is checked and written; failed imports wrote nothing (also when the service stopped during the import: it turns failed ' +
        'within a minute)',
  }),
  fileName: Type.String(),
  total: Type.Integer({ description: 'data rows in the file (0 until parsed)' }),
  processed: Type.Integer({ description: 'rows written so far' }),
  imported: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: 'line in the file; 1 is the header' }), column: Type.String(), rule: Type.String() }), {
    description: `the first ${MAX_IMPORT_ERRORS} broken rules`,
  }),
  errorCount: Type.Integer({ description: 'broken rules found in all (errors lists the first ones)' }),
  createdAt: DateTime,
  finishedAt: Nullable(DateTime),
}, { examples: [jobExample] });

const jobDto = (j: ImportJob) => ({
  id: j.id, kind: j.kind, status: j.status, fileName: j.fileName, total: j.total, processed: j.processed, imported: j.imported,
  errors: j.errors, errorCount: j.errorCount, createdAt: iso(j.createdAt)!, finishedAt: iso(j.finishedAt),
});

const layout = (kind: ImportKind) => COLUMNS[kind].map((c) => `${c.name}${c.required ? ' (required)' : ''}: ${c.description}`).join('; ');

export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/imports/:kind', {
    config: { auth: { roles: WRITE } },
    schema: {
      tags,
      summary: 'Upload a UTF-8 CSV or an .xlsx workbook (multipart, one file) of units, organizations or people; answers 202 with a job to poll',
      description:
        'A header cell may be the column name below or its Chinese label (as in GET /imports/{kind}/template). An .xlsx is recognized by its ' +
          'content; its first worksheet is read, rows numbered as Excel shows them.\n\n' +
        IMPORT_KINDS.map((k) => `**${k}** columns — ${layout(k)}`).join('\n\n') +
        `\n\nAt most ${MAX_CSV_BYTES} bytes and ${MAX_IMPORT_COLUMNS} columns (400 above). Rows may only name units and organizations of your ` +
          `subtree. A failed job lists the first ${MAX_IMPORT_ERRORS} broken rules and their total.`,
      body: fileUploadBody('the CSV file (UTF-8) or .xlsx workbook, first line the header'),
      params: Type.Object({ kind: Type.Enum(IMPORT_KINDS) }),
      response: { 202: JobDto, 413: ErrorBody, 415: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const part = await uploadedFile(request, MAX_CSV_BYTES, 'the CSV');
    let buffer: Buffer;
    try {
      buffer = await part.toBuffer();
    } catch (error) {
      throw uploadError(error, MAX_CSV_BYTES);
    }
    const xlsx = looksLikeXlsx(buffer) ? buffer : undefined;
    const csv = xlsx ? '' : new TextDecoder('utf-8', { fatal: false }).decode(buffer);
    // Refused before a job exists: no layout has more than a few columns (a workbook's header is counted as it is read).
    if (!xlsx && headerColumnCount(csv) > MAX_IMPORT_COLUMNS) {
      throw badRequest(`the CSV header has more than ${MAX_IMPORT_COLUMNS} columns`, [
        { field: 'body.file', rule: `the header may have at most ${MAX_IMPORT_COLUMNS} columns` },
      ]);
    }
    const em = emOf(request);
    const job = em.create(ImportJob, {
      kind: request.params.kind,
      status: 'running',
      fileName: part.filename.slice(0, 255) || (xlsx ? 'import.xlsx' : 'import.csv'),
      total: 0,
      processed: 0,
      imported: 0,
      errors: [],
      createdBy: principal.accountId,
      finishedAt: null,
    });
    await em.flush();
    const services = request.server.services;
    // Runs after the answer; failures are recorded on the job (and logged).
    setImmediate(() => {
      runImport({ orm: services.orm, jobId: job.id, kind: request.params.kind, csv, xlsx, scope: scopeOf(principal, WRITE), actor: auditActor(principal) })
        .catch((error) => request.log.error({ err: error, importJob: job.id }, 'import failed'));
    });
    return reply.status(202).send(jobDto(job));
  });

  app.get('/imports/:kind/template', {
    config: { auth: { roles: WRITE } },
    schema: {
      tags,
      summary: 'The template of an import: Chinese headers and an example row, as .xlsx (with a sheet explaining each column) or CSV',
      params: Type.Object({ kind: Type.Enum(IMPORT_KINDS) }),
      querystring: Type.Object({ format: Type.Enum(['xlsx', 'csv'], { default: 'xlsx' }) }, { additionalProperties: false }),
      response: { 200: fileResponse([XLSX_TYPE, 'text/csv'], 'the template: .xlsx (default) or CSV, by ?format') },
    },
  }, async (request, reply) => {
    const { kind } = request.params;
    const name = encodeURIComponent(`${TEMPLATE_NAMES[kind]}导入模板.${request.query.format}`);
    reply.header('content-disposition', `attachment; filename="${kind}-template.${request.query.format}"; filename*=UTF-8''${name}`);
    if (request.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(templateCsv(kind));
    return reply.type(XLSX_TYPE).send(await templateXlsx(kind));
  });

  app.get('/imports/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'An import job you started: progress, result and per-row errors', params: IdParams, response: { 200: JobDto } },
  }, async (request) => {
    const principal = principalOf(request);
    const em = emOf(request);
    const job = await em.findOne(ImportJob, { id: request.params.id }, { refresh: true });
    if (!job || (job.createdBy.id !== principal.accountId && !isAdmin(principal))) throw notFound('import job');
    await failIfOrphaned(em, job);
    return jobDto(job);
  });
};
