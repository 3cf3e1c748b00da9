import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { exportBpmn } from './flowchart.bpmn.ts';
import type { Flowchart } from './flowchart.model.ts';
import { renderFlowchartSvg } from './flowchart.render.tsx';
import { FlowchartBody, FlowchartSaved, PowerIdParams } from './flowchart.schemas.ts';
import * as flowcharts from './flowchart.service.ts';

const tags = ['flowchart'];

/** DESIGN.md §5: save an item's flowchart; read the public chart as SVG or BPMN 2.0. Thin. */
const flowchartApi: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/v1/powers/:id/flowchart',
    {
      config: { access: 'flowchart.edit' },
      schema: {
        tags,
        summary: '保存事项流程图（草稿或发起修订）/ Save the flowchart of a draft or start a revision',
        params: PowerIdParams,
        body: FlowchartBody,
        response: { 200: FlowchartSaved },
      },
    },
    async (request) => {
      const body = request.body as Flowchart & { legalProcedure?: boolean; legalSource?: string | null };
      return app.db.transaction().execute((trx) => flowcharts.putItemFlowchart(trx, request.actor, request.params.id, body));
    },
  );

  for (const format of ['svg', 'bpmn'] as const) {
    app.get(
      `/api/v1/powers/:id/flowchart.${format}`,
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary:
            format === 'svg'
              ? '公开的事项流程图（SVG）/ Public flowchart as SVG'
              : '公开的事项流程图（BPMN 2.0）/ Public flowchart as BPMN 2.0',
          params: PowerIdParams,
        },
      },
      async (request, reply) => {
        const { power, flowchart } = await flowcharts.publicFlowchart(app.db, request.params.id);
        const etag = `"${flowchart.contentHash.slice(0, 20)}-${format}-${request.locale}"`;
        reply.header('etag', etag).header('cache-control', 'public, max-age=300');
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        if (format === 'svg') {
          const svg = await renderFlowchartSvg(flowchart.chart, { title: power.name, locale: request.locale });
          return reply.type('image/svg+xml; charset=utf-8').send(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
        }
        const xml = await exportBpmn(flowchart.chart, { title: power.name });
        return reply
          .type('application/xml; charset=utf-8')
          .header('content-disposition', `attachment; filename="${power.code}.bpmn"`)
          .send(xml);
      },
    );
  }
};

export default flowchartApi;
