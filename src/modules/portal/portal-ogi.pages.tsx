import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { computeDeadline } from '../calendar/calendar.service.ts';
import { categoryLabel } from '../catalog/catalog.components.tsx';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { ItemList } from './portal.components.tsx';
import { catalogue, organisation } from './portal.service.ts';

/** Statutory answer period of the OGI Regulations (art. 33): 20 working days, extendable once by 20. */
export const OGI_ANSWER_DAYS = 20;

export const GuideQuery = Type.Object(
  { department: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: true },
);

const ogiPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/ogi/guide', { config: { access: 'public' }, schema: { querystring: GuideQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const en = ctx.locale === 'en';
    const units = await organisation(app.db);
    const code = request.query.department;
    const unit = code ? units.find((u) => u.code === code) : units[0];
    if (code && !unit) throw new AppError('NOT_FOUND');
    const today = todayInChina();
    const deadline = await computeDeadline(app.db, { start: today, days: OGI_ANSWER_DAYS, unit: 'working' }).catch(() => null);
    const title = t('portal.ogi.guide');
    const name = unit ? (en && unit.nameEn ? unit.nameEn : unit.name) : ctx.siteName;
    const office = unit?.offices.find((o) => o.name.includes('办公室')) ?? null;
    const officeName = office ? (en && office.nameEn ? office.nameEn : office.name) : name;
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ href: '/ogi', label: t('portal.section.ogi') }, { label: title }]}>
        <h1>
          {title}
          {unit ? <span class="subtitle">（{name}）</span> : null}
        </h1>
        {units.length > 1 ? (
          <nav aria-label={t('portal.ogi.guide.otherUnits')}>
            <ul class="inline-list">
              {units.map((u) => (
                <li key={u.id}>
                  <a href={`/ogi/guide?department=${encodeURIComponent(u.code)}`} aria-current={u === unit ? 'page' : undefined}>
                    {en && u.nameEn ? u.nameEn : u.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <p>{t('portal.ogi.guide.preamble', { name })}</p>
        <h2>{t('portal.ogi.guide.proactiveTitle')}</h2>
        <p>{t('portal.ogi.guide.proactive', { name })}</p>
        <p>
          <a href="/ogi/catalogue">{t('portal.ogi.catalogue')}</a>
        </p>
        <h2>{t('portal.ogi.guide.requestTitle')}</h2>
        <p>{t('portal.ogi.guide.request', { name })}</p>
        <ul>
          <li>
            {t('portal.ogi.guide.online')} <a href="/ogi/request">{t('portal.ogi.request')}</a>
          </li>
          <li>{t('portal.ogi.guide.byLetter', { address: unit?.address ?? '—', office: officeName })}</li>
          <li>{t('portal.ogi.guide.inPerson', { address: unit?.address ?? '—' })}</li>
        </ul>
        <h2>{t('portal.ogi.guide.deadlineTitle')}</h2>
        <p>{t('portal.ogi.guide.deadline', { days: OGI_ANSWER_DAYS })}</p>
        {deadline ? <p class="muted">{t('portal.ogi.guide.deadlineExample', { today, deadline: deadline.deadline })}</p> : null}
        <h2>{t('portal.ogi.guide.feesTitle')}</h2>
        <p>{t('portal.ogi.guide.fees')}</p>
        <h2>{t('portal.ogi.guide.contactTitle')}</h2>
        <dl class="summary">
          <dt>{t('portal.ogi.guide.office')}</dt>
          <dd>{officeName}</dd>
          <dt>{t('portal.about.address')}</dt>
          <dd>{unit?.address ?? '—'}</dd>
          <dt>{t('portal.about.phone')}</dt>
          <dd>{office?.phone ?? unit?.phone ?? '—'}</dd>
          <dt>{t('portal.ogi.guide.hours')}</dt>
          <dd>{t('portal.ogi.guide.hoursText')}</dd>
        </dl>
        <h2>{t('portal.ogi.guide.remediesTitle')}</h2>
        <p>{t('portal.ogi.guide.remedies')}</p>
        <p>
          <a href="/interact/complain">{t('portal.interact.complain')}</a>
        </p>
      </PublicPage>,
    );
  });

  app.get('/ogi/catalogue', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const [groups, counts, categories] = await Promise.all([
      catalogue(app.db, { perSource: 20 }),
      catalogQueries.publicCounts(app.db),
      catalogQueries.listCategories(app.db),
    ]);
    const title = t('portal.ogi.catalogue');
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ href: '/ogi', label: t('portal.section.ogi') }, { label: title }]}>
        <h1>{title}</h1>
        <p>{t('portal.ogi.catalogue.intro')}</p>
        <section aria-labelledby="cat-powers">
          <h2 id="cat-powers">{t('portal.section.catalog')}</h2>
          <ul>
            {categories.map((c) => (
              <li key={c.code}>
                <a href={`/catalog?category=${encodeURIComponent(c.code)}`}>{categoryLabel(ctx, categories, c.code)}</a>（
                {counts.byCategory.get(c.code) ?? 0}）
              </li>
            ))}
          </ul>
        </section>
        {groups
          .filter((g) => g.source.kind !== 'power')
          .map((g) => (
            <section key={g.source.kind} aria-labelledby={`cat-${g.source.kind}`}>
              <h2 id={`cat-${g.source.kind}`}>
                <a href={g.source.href}>{t(g.source.label)}</a>
              </h2>
              {g.items.length ? (
                <ItemList ctx={ctx} items={g.items} showSection={false} />
              ) : (
                <p>{t('portal.ogi.catalogue.empty')}</p>
              )}
            </section>
          ))}
      </PublicPage>,
    );
  });
};

export default ogiPages;
