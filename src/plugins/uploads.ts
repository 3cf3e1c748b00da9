import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../app-error.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

export interface MultipartForm {
  fields: Map<string, string>;
  files: UploadedFile[];
}

/** multipart/form-data parsing for upload forms (routes read it with readMultipart). */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 5, fields: 50, fieldSize: 1024 * 1024, parts: 60 },
      throwFileSizeLimit: true,
    });
  },
  { name: 'gongkai-uploads' },
);

/**
 * Reads a whole multipart form into memory within the limits, verifying the CSRF token field
 * before anything is used. Oversized files are refused with PAYLOAD_TOO_LARGE (its detail names
 * the field). `options` may lower the file size limit or allow more files for one form.
 */
export async function readMultipart(
  request: FastifyRequest,
  options: { maxFiles?: number; maxFileBytes?: number } = {},
): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { type: request.headers['content-type'] ?? '' });
  const fields = new Map<string, string>();
  const files: UploadedFile[] = [];
  let field = '';
  const custom = options.maxFiles !== undefined || options.maxFileBytes !== undefined;
  const maxFiles = options.maxFiles ?? 5;
  const limits = {
    fileSize: Math.min(options.maxFileBytes ?? MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES),
    files: maxFiles,
    fields: 50,
    fieldSize: 1024 * 1024,
    parts: maxFiles + 55,
  };
  try {
    for await (const part of custom ? request.parts({ limits }) : request.parts()) {
      field = part.fieldname;
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.filename) files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, data });
      } else {
        fields.set(part.fieldname, String(part.value ?? ''));
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('PAYLOAD_TOO_LARGE', {}, field ? [{ path: `/${field}`, message: 'error.PAYLOAD_TOO_LARGE' }] : []);
    if (code.startsWith('FST_')) throw new AppError('VALIDATION_FAILED', {}, [{ path: '/', message: 'validation.invalid' }]);
    throw error;
  }
  request.verifyCsrf(fields.get('_csrf'));
  return { fields, files };
}
