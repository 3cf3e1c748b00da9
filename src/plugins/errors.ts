import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorDetail, statusOf } from '../app-error.ts';
import { hasMessage, type Translate } from '../i18n/i18n.ts';
import { wantsHtml } from './negotiation.ts';
import { renderErrorPage } from './views.tsx';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function validationDetails(errors: AjvError[], t: Translate, context: string | undefined): ErrorDetail[] {
  return errors.map((error) => {
    let path = error.instancePath || '';
    if (error.keyword === 'required') path += `/${String(error.params.missingProperty)}`;
    if (error.keyword === 'additionalProperties') path += `/${String(error.params.additionalProperty)}`;
    if (context && context !== 'body') path = `/${context}${path}`;
    const key = `validation.${error.keyword}`;
    const message = t(key, {
      limit: error.params.limit as number,
      type: String(error.params.type ?? ''),
      format: String(error.params.format ?? ''),
      values: Array.isArray(error.params.allowedValues) ? error.params.allowedValues.join(', ') : '',
      property: String(error.params.additionalProperty ?? ''),
    });
    return {
      path: path || '/',
      message: message === key ? (error.message ?? t('validation.invalid')) : message,
    };
  });
}

/** Maps a thrown error to { status, code, message, details }; unknown errors become INTERNAL. */
export function describeError(error: unknown, t: Translate) {
  if (error instanceof AppError) {
    return {
      status: statusOf(error.code),
      code: error.code,
      message: t(`error.${error.code}`, error.params),
      // Services may name a message key as a detail's message; it is translated with the error's params.
      details: error.details.map((detail) => ({
        path: detail.path,
        message: hasMessage('zh-CN', detail.message) ? t(detail.message, error.params) : detail.message,
      })),
    };
  }
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) {
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: t('error.VALIDATION_FAILED'),
      details: validationDetails(fastifyError.validation, t, fastifyError.validationContext),
    };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const code =
      fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'UNSUPPORTED_MEDIA_TYPE'
        : fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'PAYLOAD_TOO_LARGE'
          : status === 429
            ? 'RATE_LIMITED'
            : status === 404
              ? 'NOT_FOUND'
              : status === 413
                ? 'PAYLOAD_TOO_LARGE'
                : status === 415
                  ? 'UNSUPPORTED_MEDIA_TYPE'
                  : 'INVALID_JSON';
    return { status, code, message: t(`error.${code}`, { type: '' }), details: [] as ErrorDetail[] };
  }
  return { status: 500, code: 'INTERNAL', message: t('error.INTERNAL'), details: [] as ErrorDetail[] };
}

/**
 * One error handler for the whole app: JSON `{error:{code,message,details}}` for the API, a
 * Chinese (or English) page for browsers. Stack traces never leave the process.
 */
export default fp(
  async (app) => {
    app.setErrorHandler(async (error, request: FastifyRequest, reply: FastifyReply) => {
      const described = describeError(error, request.t);
      if (described.status >= 500) {
        request.log.error({ err: error }, 'request failed');
      }
      if (described.code === 'RATE_LIMITED') {
        reply.header('retry-after', String(60));
      }
      if (wantsHtml(request)) {
        if (described.code === 'UNAUTHENTICATED') {
          return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        }
        return reply
          .status(described.status)
          .type('text/html; charset=utf-8')
          .send(await renderErrorPage(request, described));
      }
      return reply.status(described.status).send({
        error: { code: described.code, message: described.message, details: described.details },
      });
    });

    app.setNotFoundHandler({ preHandler: undefined }, async (request, reply) => {
      const error = new AppError('ROUTE_NOT_FOUND', {
        method: request.method,
        url: request.url.split('?')[0],
      });
      const described = describeError(error, request.t);
      if (wantsHtml(request)) {
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(await renderErrorPage(request, { ...described, code: 'NOT_FOUND' }));
      }
      return reply.status(404).send({ error: { code: described.code, message: described.message, details: [] } });
    });
  },
  { name: 'gongkai-errors' },
);
