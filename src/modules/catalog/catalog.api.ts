import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bulkTransition } from './catalog.bulk.ts';
import * as queries from './catalog.queries.ts';
import type { PowerInput } from './catalog.rules.ts';
import {
  BulkTransitionBody,
  CatalogQuerystring,
  CategoryList,
  PowerCreateBody,
  PowerIdParams,
  PowerList,
  PowerPatchBody,
  PublicPowerSchema,
  StaffPowerSchema,
  TransitionBody,
  TransitionResult,
} from './catalog.schemas.ts';
import * as catalog from './catalog.service.ts';

const tags = ['catalog'];

/** DESIGN.md §5: the public catalog and the drafting/review API. Thin: the service holds the rules. */
const catalogApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/categories',
    { config: { access: 'public' }, schema: { tags, summary: '权力类别 / Categories', response: { 200: CategoryList } } },
    async (request) => {
      const rows = await queries.listCategories(app.db);
      const items = rows.map((c) => ({
        code: c.code,
        label: request.locale === 'en' ? c.label_en : c.label_zh,
        labelZh: c.label_zh,
        labelEn: c.label_en,
        sort: c.sort,
      }));
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/powers',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '公开的职权目录与搜索 / Public catalog and search',
        querystring: CatalogQuerystring,
        response: { 200: PowerList },
      },
    },
    async (request) => {
      const { items, total, totalCapped } = await queries.publicCatalog(app.db, request.query, new Date(), app.catalogSearch);
      return { items, total, totalCapped };
    },
  );

  app.get(
    '/api/v1/powers/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '公开的事项详情 / Public power detail',
        params: PowerIdParams,
        response: { 200: PublicPowerSchema },
      },
    },
    async (request) => queries.publicPower(app.db, request.params.id),
  );

  app.post(
    '/api/v1/powers',
    {
      config: { access: 'catalog.draft' },
      schema: { tags, summary: '新建事项草稿 / Create a draft', body: PowerCreateBody, response: { 201: StaffPowerSchema } },
    },
    async (request, reply) => {
      const created = await app.db
        .transaction()
        .execute((trx) => catalog.createPower(trx, request.actor, request.body as Partial<PowerInput>));
      const { view } = await queries.staffPower(app.db, request.actor, created.powerId);
      return reply.status(201).send(view);
    },
  );

  app.patch(
    '/api/v1/powers/:id',
    {
      config: { access: 'catalog.draft' },
      schema: {
        tags,
        summary: '修改草稿或发起修订 / Edit a draft or start a revision',
        params: PowerIdParams,
        body: PowerPatchBody,
        response: { 200: StaffPowerSchema },
      },
    },
    async (request) => {
      await app.db
        .transaction()
        .execute((trx) => catalog.updatePower(trx, request.actor, request.params.id, request.body as Partial<PowerInput>));
      return (await queries.staffPower(app.db, request.actor, request.params.id)).view;
    },
  );

  app.post(
    '/api/v1/powers/:id/transitions',
    {
      config: { access: 'catalog.read' },
      schema: {
        tags,
        summary: '提交、审核、退回或取消 / Submit, approve, return or abolish',
        params: PowerIdParams,
        body: TransitionBody,
        response: { 200: StaffPowerSchema },
      },
    },
    async (request) => {
      await app.db.transaction().execute((trx) => catalog.transition(trx, request.actor, request.params.id, request.body));
      return (await queries.staffPower(app.db, request.actor, request.params.id)).view;
    },
  );

  app.post(
    '/api/v1/powers/transitions',
    {
      config: { access: 'catalog.read' },
      schema: {
        tags,
        summary: '批量提交或审核（全部成功或全部不变）/ Bulk transition, all or nothing',
        body: BulkTransitionBody,
        response: { 200: TransitionResult },
      },
    },
    async (request) => {
      const { ids, ...rest } = request.body;
      const items = await app.db.transaction().execute((trx) => bulkTransition(trx, request.actor, ids, rest));
      return { items, total: items.length };
    },
  );
};

export default catalogApi;
