import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase['db'];
  handle: TestDatabase;
  close(): Promise<void>;
}

/** A full app on a fresh database, as a browser or API client would reach it through inject(). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const handle = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-test-secret-test-secret!',
    ...env,
  });
  const app = await buildApp({ config, db: handle, logger: false });
  await app.ready();
  return {
    app,
    db: handle.db,
    handle,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

/** Cookie jar for inject(): keeps what Set-Cookie gives, sends it back. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && new Date(cookie.expires) < new Date())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers },
      }),
    );
  }

  /** Posts a form; `_csrf` is taken from the page last fetched unless given. */
  async post(url: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          cookie: this.cookieHeader(),
          ...headers,
        },
      }),
    );
  }

  async json(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) {
    return this.keep(
      await this.app.inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload: payload as object }),
        headers: {
          cookie: this.cookieHeader(),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      }),
    );
  }

  /** The CSRF token embedded in a page's forms. */
  static csrfOf(html: string): string {
    const match = html.match(/name="_csrf" value="([^"]+)"/);
    if (!match) throw new Error('no CSRF token on the page');
    return match[1];
  }

  async csrf(url = '/staff'): Promise<string> {
    const page = await this.get(url);
    return Browser.csrfOf(page.body);
  }

  async login(username: string, password: string) {
    const page = await this.get('/login');
    const response = await this.post('/login', { username, password, _csrf: Browser.csrfOf(page.body) });
    if (response.statusCode !== 303) throw new Error(`login as ${username} failed: ${response.statusCode}`);
    return response;
  }
}

export async function loggedIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Browser> {
  const browser = new Browser(app);
  await browser.login(username, password);
  return browser;
}

export const TEST_PASSWORD = 'password123';
