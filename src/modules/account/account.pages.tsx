import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import { CsrfOnlyForm, LoginForm } from './account.schemas.ts';
import * as accounts from './account.service.ts';

/** Only same-site relative paths may be redirect targets after sign-in. */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/staff';
  return next;
}

function LoginPage({
  ctx,
  next,
  username,
  errors,
  message,
  notice,
}: {
  ctx: ViewContext;
  next?: string;
  username?: string;
  errors?: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const { t } = ctx;
  return (
    <PublicPage ctx={ctx} title={t('account.login')} crumbs={[{ label: t('account.login') }]}>
      <h1>{t('account.login')}</h1>
      {notice ? <p class="notice notice-success">{notice}</p> : null}
      <ErrorSummary ctx={ctx} errors={errors ?? {}} message={message} />
      <p>{t('account.loginIntro')}</p>
      <form method="post" action="/login" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={next ?? ''} />
        <Field ctx={ctx} name="username" label={t('account.username')} errors={errors} required>
          {(p) => <input type="text" {...p} value={username ?? ''} autocomplete="username" spellcheck={false} />}
        </Field>
        <Field ctx={ctx} name="password" label={t('account.password')} errors={errors} required>
          {(p) => <input type="password" {...p} autocomplete="current-password" />}
        </Field>
        <button type="submit">{t('account.signIn')}</button>
      </form>
    </PublicPage>
  );
}

const accountPages: FastifyPluginAsyncTypebox = async (app) => {
  const secure = app.config.publicBaseUrl.startsWith('https://');

  app.get(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        querystring: {
          type: 'object',
          properties: { next: { type: 'string', maxLength: 2000 }, out: { type: 'string', maxLength: 4 } },
        },
      },
    },
    async (request, reply) => {
      const query = request.query as { next?: string; out?: string };
      if (request.actor.kind === 'user') return reply.redirect(safeNext(query.next), 303);
      const ctx = await viewContext(request);
      return reply.page(<LoginPage ctx={ctx} next={query.next} notice={query.out ? ctx.t('account.loggedOut') : undefined} />);
    },
  );

  app.post(
    '/login',
    {
      config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { body: LoginForm },
    },
    async (request, reply) => {
      const { username = '', password = '', next } = request.body;
      const ctx = await viewContext(request);
      const errors: FieldErrors = {};
      if (!username.trim()) errors.username = ctx.t('validation.required');
      if (!password) errors.password = ctx.t('validation.required');
      if (Object.keys(errors).length)
        return reply.page(<LoginPage ctx={ctx} next={next} username={username} errors={errors} />, 400);
      try {
        const result = await accounts.login(app.db, { username: username.trim(), password, clientIp: request.ip }, new Date(), {
          absoluteSeconds: app.config.sessionAbsoluteSeconds,
        });
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure,
        });
        return reply.redirect(safeNext(next), 303);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const described = describeError(error, ctx.t);
        return reply.page(
          <LoginPage
            ctx={ctx}
            next={next}
            username={username}
            errors={{ _form: described.message }}
            message={described.message}
          />,
          described.status,
        );
      }
    },
  );

  app.post('/logout', { config: { access: 'staff.workbench' }, schema: { body: CsrfOnlyForm } }, async (request, reply) => {
    if (request.sessionToken) await accounts.logout(app.db, request.sessionToken, request.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login?out=1', 303);
  });
};

export default accountPages;
