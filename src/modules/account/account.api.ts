import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DepartmentList, MeResponse } from './account.schemas.ts';
import * as accounts from './account.service.ts';

const accountApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/me',
    {
      config: { access: 'staff.workbench' },
      schema: { tags: ['account'], summary: '当前调用者 / The caller', response: { 200: MeResponse } },
    },
    async (request) => {
      const { kind, label, role, departmentId, unitId } = request.actor;
      return { kind, label, role, departmentId, unitId };
    },
  );

  app.get(
    '/api/v1/departments',
    {
      config: { access: 'public' },
      schema: { tags: ['account'], summary: '部门与科室 / Departments', response: { 200: DepartmentList } },
    },
    async () => {
      const rows = (await accounts.listDepartments(app.db)).filter((d) => d.active);
      const byId = new Map(rows.map((d) => [d.id, d.code]));
      const items = rows.map((d) => ({
        code: d.code,
        name: d.name,
        kind: d.kind,
        parentCode: d.parent_id ? (byId.get(d.parent_id) ?? null) : null,
      }));
      return { items, total: items.length };
    },
  );
};

export default accountApi;
