import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** OpenAPI 3.1 generated from the routes' TypeBox schemas; only /api routes are documented. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Gongkai API',
          description:
            '行政权力公开透明运行平台接口。公开读取无需认证；其他接口使用 `Authorization: Bearer <API key>` 或登录会话。' +
            ' Errors are `{"error":{"code","message","details":[{"path","message"}]}}` with a 4xx status.',
          version: '1.0.0',
        },
        components: {
          securitySchemes: {
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              description: 'Department API key (gongkai apikey add)',
            },
          },
        },
      },
      transform: ({ schema, url, route }) => {
        const hide = !url.startsWith('/api/v1') && !url.startsWith('/api/openapi');
        const access = (route?.config as { access?: string } | undefined)?.access;
        const base = (schema ?? {}) as Record<string, unknown>;
        const security = access && access !== 'public' ? [{ apiKey: [] }] : undefined;
        return {
          schema: { ...base, hide: hide || base.hide, ...(security ? { security } : {}) } as never,
          url,
        };
      },
    });
    app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: false },
    });
  },
  { name: 'gongkai-openapi' },
);
