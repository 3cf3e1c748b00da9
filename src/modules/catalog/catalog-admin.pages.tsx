import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { readMultipart } from '../../plugins/uploads.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { importAnnexOne } from './catalog.import.ts';
import * as queries from './catalog.queries.ts';
import * as repo from './catalog.repository.ts';
import { PowerIdParams } from './catalog.schemas.ts';
import * as catalog from './catalog.service.ts';

const catalogAdminPages: FastifyPluginAsyncTypebox = async (app) => {
  function uploadPage(ctx: ViewContext, result?: { message: string; lines: string[]; ok: boolean }) {
    const { t } = ctx;
    return (
      <StaffPage
        ctx={ctx}
        title={t('catalog.import')}
        crumbs={[{ href: '/staff/catalog', label: t('catalog.staffTitle') }, { label: t('catalog.import') }]}
      >
        <h1>{t('catalog.import')}</h1>
        <p>{t('catalog.importIntro')}</p>
        {result?.ok ? <p class="notice notice-success">{result.message}</p> : null}
        {result && !result.ok ? (
          <div class="error-summary" role="alert" tabindex={-1}>
            <h2>{result.message}</h2>
            <ul>
              {result.lines.slice(0, 200).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <form method="post" action="/staff/catalog/import" enctype="multipart/form-data" class="stack">
          <CsrfField ctx={ctx} />
          <label for="import-file">{t('catalog.importFile')}</label>
          <input type="file" id="import-file" name="file" accept=".xlsx" required />
          <label>
            <input type="checkbox" name="dryRun" value="1" /> {t('catalog.dryRun')}
          </label>
          <button type="submit">{t('catalog.importButton')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get('/staff/catalog/import', { config: { access: 'catalog.draft' } }, async (request, reply) =>
    reply.page(uploadPage(await viewContext(request))),
  );

  app.post('/staff/catalog/import', { config: { access: 'catalog.draft', csrf: 'manual' } }, async (request, reply) => {
    const form = await readMultipart(request);
    const ctx = await viewContext(request);
    const file = form.files.find((f) => f.field === 'file');
    const dryRun = form.fields.get('dryRun') === '1';
    const unitId = request.actor.unitId;
    try {
      if (!file?.data.length || unitId === null)
        throw new AppError('IMPORT_FILE_INVALID', { reason: ctx.t('catalog.importNoFile') });
      const result = await app.db
        .transaction()
        .execute((trx) => importAnnexOne(trx, request.actor, unitId, file.data, { dryRun }));
      const message = dryRun
        ? ctx.t('catalog.importChecked', { count: result.count })
        : ctx.t('catalog.imported', { count: result.count });
      return reply.page(uploadPage(ctx, { ok: true, message, lines: [] }));
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'FORBIDDEN') throw error;
      const described = describeError(error, ctx.t);
      return reply.page(
        uploadPage(ctx, { ok: false, message: described.message, lines: described.details.map((d) => d.message) }),
        400,
      );
    }
  });

  app.post(
    '/staff/catalog/:id/rereview',
    { config: { access: 'catalog.audit' }, schema: { params: PowerIdParams } },
    async (request, reply) => {
      await app.db.transaction().execute((trx) => catalog.reReviewConfidential(trx, request.actor, request.params.id));
      return reply.redirect('/staff/catalog/confidential', 303);
    },
  );

  async function categoriesPage(ctx: ViewContext, error?: string) {
    const { t } = ctx;
    const categories = await queries.listCategories(app.db);
    return (
      <StaffPage
        ctx={ctx}
        title={t('catalog.categories')}
        crumbs={[{ href: '/staff/catalog', label: t('catalog.staffTitle') }, { label: t('catalog.categories') }]}
      >
        <h1>{t('catalog.categories')}</h1>
        {error ? <ErrorSummary ctx={ctx} errors={{}} message={error} /> : null}
        <form method="post" action="/staff/catalog/categories" class="stack">
          <CsrfField ctx={ctx} />
          <table>
            <thead>
              <tr>
                <th scope="col">{t('catalog.categoryCode')}</th>
                <th scope="col">中文</th>
                <th scope="col">English</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((c) => (
                <tr key={c.code}>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>
                    <input type="text" name={`zh.${c.code}`} value={c.label_zh} aria-label={`${c.code} 中文`} maxlength={40} />
                  </td>
                  <td>
                    <input type="text" name={`en.${c.code}`} value={c.label_en} aria-label={`${c.code} English`} maxlength={80} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">{t('form.save')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get('/staff/catalog/categories', { config: { access: 'catalog.settings' } }, async (request, reply) =>
    reply.page(await categoriesPage(await viewContext(request))),
  );

  app.post('/staff/catalog/categories', { config: { access: 'catalog.settings' } }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    authorize(request.actor, 'catalog.settings');
    const categories = await queries.listCategories(app.db);
    const changes = categories
      .map((c) => ({
        code: c.code,
        label_zh: (form[`zh.${c.code}`] ?? c.label_zh).trim(),
        label_en: (form[`en.${c.code}`] ?? c.label_en).trim(),
      }))
      .filter((c, i) => c.label_zh !== categories[i].label_zh || c.label_en !== categories[i].label_en);
    if (changes.some((c) => !c.label_zh || !c.label_en || c.label_zh.length > 40 || c.label_en.length > 80)) {
      const ctx = await viewContext(request);
      return reply.page(await categoriesPage(ctx, ctx.t('catalog.categoryLabelInvalid')), 400);
    }
    await app.db.transaction().execute(async (trx) => {
      for (const change of changes) {
        await repo.updateCategoryLabel(trx, change.code, { label_zh: change.label_zh, label_en: change.label_en });
        await audit.record(trx, request.actor, {
          action: 'category.update',
          objectType: 'category',
          objectId: change.code,
          summary: { labelZh: change.label_zh, labelEn: change.label_en },
        });
      }
    });
    return reply.redirect('/staff/catalog/categories', 303);
  });
};

export default catalogAdminPages;
