import type { Config, Locale } from '../config.ts';
import type { Db, DbHandle } from '../db/connect.ts';
import type { Translate } from '../i18n/i18n.ts';
import type { Actor } from '../modules/account/actor.ts';
import type { Permission } from '../modules/account/authorize.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    dbHandle: DbHandle;
    db: Db;
    /** The site's name (the publishing department), cached briefly. */
    siteName(): Promise<string>;
  }
  interface FastifyRequest {
    actor: Actor;
    locale: Locale;
    t: Translate;
    /** The CSRF token to embed in forms for this visitor (session-bound or cookie-bound). */
    csrfToken: string;
    staffName: string | null;
    sessionToken: string | null;
    /** Throws CSRF_INVALID unless `token` matches this visitor's token (for multipart routes). */
    verifyCsrf(token: unknown): void;
  }
  interface FastifyContextConfig {
    /** Who may call the route: 'public' or a permission of authorize.ts. Required on every route. */
    access?: 'public' | Permission;
    /** 'manual' when the handler verifies the token itself (multipart bodies). */
    csrf?: 'manual';
  }
}
