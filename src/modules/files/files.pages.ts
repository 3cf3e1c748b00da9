import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as files from './file-store.service.ts';

const FileParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (Chinese file names). */
export function contentDisposition(filename: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Configures the file store from the app's config and serves staff downloads. Who may download
 * a file is decided by the module that owns it (addFileAccessPolicy); others get 404.
 */
const filesPages: FastifyPluginAsyncTypebox = async (app) => {
  files.configureFileStore({ dataDir: app.config.dataDir, maxUploadMb: app.config.maxUploadMb });

  app.get(
    '/staff/files/:id',
    { config: { access: 'staff.workbench' }, schema: { params: FileParams } },
    async (request, reply) => {
      const file = await files.readForActor(app.db, request.actor, request.params.id);
      return reply
        .header('content-type', file.mimeType)
        .header('content-length', file.size)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );
};

export default filesPages;
