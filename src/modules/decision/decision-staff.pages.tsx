import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import type { FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { can } from '../account/authorize.ts';
import * as catalog from '../catalog/catalog.queries.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { errorsOf } from './decision.pages.tsx';
import { CommentParams, FormBody, IdParams } from './decision.schemas.ts';
import * as decisions from './decision.service.ts';
import { Pager, PhaseTag, Text } from './decision.view.tsx';
import {
  ModerationButtons,
  NewDecisionForm,
  STAGE_FIELDS,
  type StageFormState,
  StageForms,
  type StageKey,
  stageInput,
} from './decision-staff.view.tsx';

addStaffNav({ href: '/staff/decisions', label: 'decision.staffNav', order: 48, permission: 'decision.read' });

addQueueProvider(async (db, actor) => {
  if (!can(actor, 'decision.manage')) return [];
  const count = await decisions.countPendingComments(db, actor);
  return [{ label: 'decision.queue', params: { count }, href: '/staff/decisions/comments', count, tone: 'blue' as const }];
});

const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const StageParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  stage: Type.Enum(['research', 'notice', 'hearings', 'experts', 'publish']),
});

const STAGE_RUN = {
  research: decisions.recordResearch,
  notice: decisions.recordNotice,
  hearings: decisions.recordHearing,
  experts: decisions.recordExpert,
  publish: decisions.publish,
} as const;

const time = (d: Date | string | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/** The department's approved `major_decision` powers, for the create form (a few pages of the catalog). */
async function majorPowers(ctx: ViewContext, db: Parameters<typeof catalog.staffList>[0]) {
  const found: Array<{ id: number; name: string }> = [];
  for (let page = 1; page <= 10; page++) {
    const { items, total } = await catalog.staffList(db, ctx.actor, { status: 'approved', page });
    for (const item of items as Array<{ power_id: number; name: string; category: string }>)
      if (item.category === 'major_decision') found.push({ id: item.power_id, name: item.name });
    if (page * 50 >= total) break;
  }
  return found;
}

const decisionStaffPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/decisions',
    { config: { access: 'decision.read' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { rows, total, page, pageSize } = await decisions.staffList(app.db, request.actor, request.query.page ?? 1);
      return reply.page(
        <StaffPage ctx={ctx} title={t('decision.staffTitle')} crumbs={[{ label: t('decision.staffTitle') }]}>
          <h1>{t('decision.staffTitle')}</h1>
          {can(request.actor, 'decision.manage') ? (
            <p class="actions">
              <a class="button" href="/staff/decisions/new">
                {t('decision.new')}
              </a>
              <a href="/staff/decisions/comments">{t('decision.moderationQueue')}</a>
            </p>
          ) : null}
          {rows.length === 0 ? (
            <p>{t('decision.staffNone')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('decision.col.title')}</th>
                    <th scope="col">{t('decision.department')}</th>
                    <th scope="col">{t('decision.col.phase')}</th>
                    <th scope="col">{t('decision.col.notice')}</th>
                    <th scope="col">{t('decision.col.pending')}</th>
                    <th scope="col">{t('decision.col.scope')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <a href={`/staff/decisions/${r.id}`}>{r.title}</a>
                      </td>
                      <td>{r.department_name}</td>
                      <td>
                        <PhaseTag ctx={ctx} phase={r.phase} />
                      </td>
                      <td>{r.notice_start ? `${r.notice_start} — ${r.notice_end}` : ''}</td>
                      <td>{r.pending_comments || ''}</td>
                      <td>{t(`decision.scope.${r.scope}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager ctx={ctx} page={page} total={total} pageSize={pageSize} base="/staff/decisions?" />
        </StaffPage>,
      );
    },
  );

  async function newPage(ctx: ViewContext, form: Record<string, string> = {}, errors: FieldErrors = {}, message?: string) {
    const powers = await majorPowers(ctx, app.db);
    return <NewDecisionForm ctx={ctx} powers={powers} form={form} errors={errors} message={message} />;
  }

  app.get('/staff/decisions/new', { config: { access: 'decision.manage' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    return reply.page(await newPage(ctx));
  });

  app.post('/staff/decisions', { config: { access: 'decision.manage' }, schema: { body: FormBody } }, async (request, reply) => {
    const form = request.body;
    const powerText = form.powerId?.trim() ?? '';
    const powerId = /^\d{1,9}$/.test(powerText) ? Number(powerText) : null;
    try {
      if (powerText && powerId === null)
        throw new AppError('DECISION_POWER_INVALID', { id: powerText }, [
          { path: '/powerId', message: 'decision.problem.power' },
        ]);
      const id = await app.db.transaction().execute((trx) =>
        decisions.create(trx, request.actor, {
          title: form.title,
          subject: form.subject,
          powerId,
          disclosure: {
            scope: form.scope ?? 'public',
            term: { kind: form.termKind ?? 'long_term', end: form.termEnd?.trim() || null },
          },
        }),
      );
      return reply.redirect(`/staff/decisions/${id}`, 303);
    } catch (error) {
      const ctx = await viewContext(request);
      const { errors, status, message } = errorsOf(error, ctx, '', {
        '/disclosure/term/end': 'termEnd',
        '/disclosure/term/start': 'termEnd',
        '/disclosure/term/kind': 'termKind',
      });
      return reply.page(await newPage(ctx, form, errors, message), status);
    }
  });

  app.get('/staff/decisions/comments', { config: { access: 'decision.manage' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const comments = await decisions.pendingComments(app.db, request.actor);
    return reply.page(
      <StaffPage
        ctx={ctx}
        title={t('decision.moderationQueue')}
        crumbs={[{ href: '/staff/decisions', label: t('decision.staffTitle') }, { label: t('decision.moderationQueue') }]}
      >
        <h1>{t('decision.moderationQueue')}</h1>
        <p>{t('decision.moderationIntro')}</p>
        {comments.length === 0 ? (
          <p>{t('decision.noPending')}</p>
        ) : (
          <ul class="stack">
            {comments.map((c) => (
              <li key={c.id}>
                <p>
                  <a href={`/staff/decisions/${c.decision_id}`}>{c.decision_title}</a> · {time(c.submitted_at)} ·{' '}
                  {c.name ?? t('decision.anonymous')} {c.contact ? `（${c.contact}）` : ''}
                </p>
                <blockquote>
                  <Text text={c.content} />
                </blockquote>
                <ModerationButtons ctx={ctx} commentId={c.id} back="queue" />
              </li>
            ))}
          </ul>
        )}
      </StaffPage>,
    );
  });

  async function detailPage(ctx: ViewContext, id: number, state?: StageFormState, notice?: string) {
    const { t } = ctx;
    const d = await decisions.staffDetail(app.db, ctx.actor, id);
    const { row } = d;
    return (
      <StaffPage
        ctx={ctx}
        title={row.title}
        crumbs={[{ href: '/staff/decisions', label: t('decision.staffTitle') }, { label: row.title }]}
      >
        <h1>
          {row.title} <PhaseTag ctx={ctx} phase={d.phase} />
        </h1>
        {notice ? (
          <p class="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        <p>
          {d.publiclyVisible ? (
            <a href={`/decisions/${row.id}`}>{t('decision.publicPage')}</a>
          ) : (
            <>
              {t('decision.notPublicYet')} <a href={`/decisions/${row.id}`}>{t('decision.preview')}</a>
            </>
          )}
        </p>
        <dl>
          <dt>{t('decision.department')}</dt>
          <dd>{d.departmentName}</dd>
          <dt>{t('decision.power')}</dt>
          <dd>{d.powerName ?? t('decision.noPower')}</dd>
          <dt>{t('decision.subject')}</dt>
          <dd>
            <Text text={row.subject} />
          </dd>
          <dt>{t('decision.col.scope')}</dt>
          <dd>
            {t(`decision.scope.${row.scope}`)} · {t(`decision.term.${row.term_kind}`)}
            {row.term_end ? ` ${row.term_end}` : ''}
          </dd>
          <dt>{t('decision.stage.research')}</dt>
          <dd>
            {row.research_on
              ? `${row.research_on} · ${row.research_attendees} · ${row.research_summary}`
              : t('decision.notRecorded')}
          </dd>
          <dt>{t('decision.stage.notice')}</dt>
          <dd>
            {row.notice_start ? (
              <>
                {t('decision.noticePeriod', { start: row.notice_start, end: row.notice_end ?? '' })}
                <br />
                <Text text={row.notice_text ?? ''} />
              </>
            ) : (
              t('decision.notRecorded')
            )}
          </dd>
          <dt>{t('decision.stage.hearing')}</dt>
          <dd>
            {d.hearings.length === 0 ? t('decision.notRecorded') : null}
            {d.hearings.map((h) => (
              <p key={h.id}>
                {h.held_on} · {h.participants} · {h.record}
              </p>
            ))}
          </dd>
          <dt>{t('decision.stage.experts')}</dt>
          <dd>
            {d.experts.length === 0 ? t('decision.notRecorded') : null}
            {d.experts.map((e) => (
              <p key={e.id}>
                {e.consulted_on} · {e.name}（{e.title}）· {e.opinion}
              </p>
            ))}
          </dd>
          <dt>{t('decision.stage.result')}</dt>
          <dd>
            {row.result_on
              ? `${row.result_on} · ${t('decision.basis')}：${row.result_basis} · ${t('decision.result')}：${row.result_text}`
              : t('decision.notYetPublished')}
          </dd>
        </dl>
        <h2>{t('decision.commentsStaff', { count: d.comments.length })}</h2>
        {d.comments.length === 0 ? (
          <p>{t('decision.noComments')}</p>
        ) : (
          <ul class="stack">
            {d.comments.map((c) => (
              <li key={c.id}>
                <p>
                  {time(c.submitted_at)} · {c.name ?? t('decision.anonymous')} {c.contact ? `（${c.contact}）` : ''} ·{' '}
                  <strong>{t(`decision.commentStatus.${c.status}`)}</strong>
                  {c.moderation_note ? `（${c.moderation_note}）` : ''}
                </p>
                <blockquote>
                  <Text text={c.content} />
                </blockquote>
                {d.canManage ? <ModerationButtons ctx={ctx} commentId={c.id} back="detail" /> : null}
              </li>
            ))}
          </ul>
        )}
        {d.canManage && !row.published_at ? (
          <>
            <h2>{t('decision.recordStages')}</h2>
            <StageForms ctx={ctx} id={row.id} hasResearch={!!row.research_on} hasNotice={!!row.notice_start} state={state} />
          </>
        ) : null}
      </StaffPage>
    );
  }

  app.get(
    '/staff/decisions/:id',
    {
      config: { access: 'decision.read' },
      schema: {
        params: IdParams,
        querystring: Type.Object({
          saved: Type.Optional(Type.String({ maxLength: 20 })),
          lang: Type.Optional(Type.String({ maxLength: 10 })),
        }),
      },
    },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const saved = request.query.saved;
      return reply.page(await detailPage(ctx, request.params.id, undefined, saved ? ctx.t('decision.saved') : undefined));
    },
  );

  app.post(
    '/staff/decisions/:id/:stage',
    { config: { access: 'decision.manage' }, schema: { params: StageParams, body: FormBody } },
    async (request, reply) => {
      const { id } = request.params;
      const stage = request.params.stage as StageKey;
      const input = stageInput(stage, request.body);
      try {
        await app.db.transaction().execute((trx) => STAGE_RUN[stage](trx, request.actor, id, input));
      } catch (error) {
        if (error instanceof AppError && (error.code === 'DECISION_NOT_FOUND' || error.code === 'FORBIDDEN')) throw error;
        const ctx = await viewContext(request);
        const { errors, status, message } = errorsOf(error, ctx, STAGE_FIELDS[stage].prefix);
        return reply.page(await detailPage(ctx, id, { stage, form: request.body, errors, message }), status);
      }
      return reply.redirect(`/staff/decisions/${id}?saved=${stage}`, 303);
    },
  );

  app.post(
    '/staff/decisions/comments/:commentId',
    { config: { access: 'decision.manage' }, schema: { params: CommentParams, body: FormBody } },
    async (request, reply) => {
      const { commentId } = request.params;
      const decisionId = await app.db
        .transaction()
        .execute((trx) =>
          decisions.moderateComment(trx, request.actor, commentId, { action: request.body.action, note: request.body.note }),
        );
      return reply.redirect(request.body.back === 'queue' ? '/staff/decisions/comments' : `/staff/decisions/${decisionId}`, 303);
    },
  );
};

export default decisionStaffPages;
