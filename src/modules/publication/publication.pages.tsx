import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ViewContext } from '../../views/context.ts';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { Pager } from '../catalog/catalog.components.tsx';
import { contentDisposition } from '../files/files.pages.ts';
import { addPublicSource } from '../portal/public-sources.ts';
import { AttachmentParams, NewsQuery, PublicationParams } from './publication.schemas.ts';
import * as publications from './publication.service.ts';

/** China time, 'YYYY-MM-DD HH:mm'. */
export const chinaTime = (d: Date | string | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
const chinaDay = (d: Date | string | null) => chinaTime(d).slice(0, 10);

addPublicSource({
  kind: 'news',
  label: 'publication.nav',
  href: '/news',
  list: async (db, query) => {
    const { items } = await publications.listPublic(db, {
      q: query.q,
      departmentId: query.departmentId,
      pageSize: query.limit,
    });
    return items.map((row) => ({
      id: `news:${row.id}`,
      kind: 'news',
      title: row.title,
      href: `/news/${row.id}`,
      publishedAt: new Date(row.published_at as Date).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      departmentId: row.department_id,
      summary: publications.publicText(row).summary,
    }));
  },
});

function titleOf(ctx: ViewContext, row: { title: string; title_en: string | null }) {
  return ctx.locale === 'en' && row.title_en ? row.title_en : row.title;
}

/** Paragraphs separated by blank lines; single line breaks kept. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((para, i) => (
        <p key={i}>
          {para.split('\n').map((line, j) => (
            <>
              {j > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </>
  );
}

const publicationPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/news', { config: { access: 'public' }, schema: { querystring: NewsQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const result = await publications.listPublic(app.db, { q: request.query.q, page: request.query.page });
    const title = t('publication.nav');
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <form method="get" action="/news" class="search-box">
          <label for="news-q" class="visually-hidden">
            {t('publication.searchLabel')}
          </label>
          <input type="search" id="news-q" name="q" value={request.query.q ?? ''} placeholder={t('publication.searchLabel')} />
          <button type="submit">{t('portal.search')}</button>
        </form>
        <p>{t('common.total', { total: result.total })}</p>
        {result.items.length === 0 ? (
          <p>{t('publication.none')}</p>
        ) : (
          <ul class="item-list">
            {result.items.map((row) => (
              <li key={row.id}>
                <a href={`/news/${row.id}`}>{titleOf(ctx, row)}</a>{' '}
                <span class="muted">
                  {t(`publication.kind.${row.kind}`)} · {row.department_name} ·{' '}
                  <time datetime={chinaDay(row.published_at)}>{chinaDay(row.published_at)}</time>
                </span>
                <p class="item-summary">{publications.publicText(row).summary}</p>
              </li>
            ))}
          </ul>
        )}
        <Pager
          ctx={ctx}
          page={result.page}
          total={result.total}
          pageSize={result.pageSize}
          href={(page) =>
            `/news?${new URLSearchParams({ ...(request.query.q ? { q: request.query.q } : {}), page: String(page) })}`
          }
        />
      </PublicPage>,
    );
  });

  app.get('/news/:id', { config: { access: 'public' }, schema: { params: PublicationParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const { row, attachments } = await publications.publicItem(app.db, request.params.id);
    const title = titleOf(ctx, row);
    const text = publications.publicText(row);
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ href: '/news', label: t('publication.nav') }, { label: title }]}>
        <article class="news-item">
          <h1>{title}</h1>
          <p class="muted">
            {t(`publication.kind.${row.kind}`)} · {row.department_name} · {t('publication.publishedAt')}{' '}
            <time datetime={chinaDay(row.published_at)}>{chinaTime(row.published_at)}</time>
            {row.revision > 1 ? ` · ${t('publication.updatedAt', { at: chinaTime(row.updated_at) })}` : ''}
          </p>
          {row.kind === 'press_conference' ? (
            <dl class="summary">
              <dt>{t('publication.field.conferenceAt')}</dt>
              <dd>{chinaTime(row.conference_at)}</dd>
              {row.conference_place ? (
                <>
                  <dt>{t('publication.field.conferencePlace')}</dt>
                  <dd>{row.conference_place}</dd>
                </>
              ) : null}
              {row.speakers ? (
                <>
                  <dt>{t('publication.field.speakers')}</dt>
                  <dd>{row.speakers}</dd>
                </>
              ) : null}
            </dl>
          ) : null}
          {row.summary ? <p class="lead">{text.summary}</p> : null}
          <Paragraphs text={text.body} />
          {attachments.length ? (
            <section aria-labelledby="attachments">
              <h2 id="attachments">{t('publication.attachments')}</h2>
              <ul>
                {attachments.map((file) => (
                  <li key={file.id}>
                    <a href={`/news/${row.id}/files/${file.id}`}>{file.label ?? file.filename}</a>{' '}
                    <span class="muted">
                      （{file.mimeType === 'application/pdf' ? 'PDF' : file.mimeType.replace('image/', '').toUpperCase()},{' '}
                      {Math.max(1, Math.round(file.size / 1024))} KB）
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </article>
      </PublicPage>,
    );
  });

  app.get(
    '/news/:id/files/:fileId',
    { config: { access: 'public' }, schema: { params: AttachmentParams } },
    async (request, reply) => {
      const file = await publications.publicAttachment(app.db, request.params.id, request.params.fileId);
      return reply
        .header('content-type', file.mimeType)
        .header('content-length', file.size)
        .header('content-disposition', contentDisposition(file.filename, 'inline'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=300')
        .send(file.data);
    },
  );
};

export default publicationPages;
