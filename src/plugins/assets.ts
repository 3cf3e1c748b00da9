import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { PROJECT_ROOT } from '../paths.ts';

const publicDir = path.join(PROJECT_ROOT, 'public');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The design system's few static files, held in memory and served with an ETag. */
export default fp(
  async (app) => {
    for (const name of ['site.css', 'enhance.js']) {
      const body = readFileSync(path.join(publicDir, name));
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      app.get(`/assets/${name}`, { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
        reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return reply.type(TYPES[path.extname(name)] ?? 'application/octet-stream').send(body);
      });
    }
  },
  { name: 'gongkai-assets' },
);
