// Reading the one file of a multipart upload, with the client's mistakes answered as 4xx: a
// body cut off before its closing boundary, a malformed part or a missing boundary is the
// sender's problem (400), a file over the limit is 413. Only the machine's own failures (disk,
// file system) stay 500.
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { DomainError, badRequest, tooLarge, unsupportedMedia } from '../../domain/errors.ts';

export const MALFORMED_UPLOAD_RULE = 'must be complete multipart/form-data with one file part (the upload was cut off or is malformed)';

export const uploadTooLarge = (maxBytes: number) =>
  tooLarge(`the file is larger than ${maxBytes} bytes`, [{ field: 'body.file', rule: `must be at most ${maxBytes} bytes` }]);

/** The 4xx a failure of reading the upload means, or the error itself when it is the machine's. */
export function uploadError(error: unknown, maxBytes: number): unknown {
  if (error instanceof DomainError) return error;
  const e = error as { code?: string; errno?: number; statusCode?: number; message?: string };
  // The file system's errors carry an errno (ENOSPC, EACCES...): not the sender's fault.
  if (typeof e?.errno === 'number') return error;
  if (e?.code === 'FST_REQ_FILE_TOO_LARGE') return uploadTooLarge(maxBytes);
  if (e?.code === 'FST_PARTS_LIMIT' || e?.code === 'FST_FILES_LIMIT' || e?.code === 'FST_FIELDS_LIMIT') {
    return tooLarge('too many parts in the upload', [{ field: 'body', rule: 'must hold one file part' }]);
  }
  // busboy's "Unexpected end of form", "Malformed part header", "Boundary not found", a
  // premature close...: the body is not complete multipart data.
  if (error instanceof Error && (e.statusCode === undefined || e.statusCode < 500)) {
    return badRequest(`the upload is not complete multipart/form-data: ${e.message}`, [{ field: 'body', rule: MALFORMED_UPLOAD_RULE }]);
  }
  return error;
}

/** The one file part of a multipart request (415 when the request is not multipart, 400 without a file). */
export async function uploadedFile(request: FastifyRequest, maxBytes: number, what = 'the file'): Promise<MultipartFile> {
  if (!request.isMultipart())
    throw unsupportedMedia(`send ${what} as multipart/form-data`, [{ field: 'body', rule: 'must be multipart/form-data with one file field' }]);
  let part: MultipartFile | undefined;
  try {
    part = await request.file({ limits: { fileSize: maxBytes, files: 1 }, throwFileSizeLimit: true });
  } catch (error) {
    throw uploadError(error, maxBytes);
  }
  if (!part) throw badRequest('no file', [{ field: 'body.file', rule: 'is required' }]);
  return part;
}
