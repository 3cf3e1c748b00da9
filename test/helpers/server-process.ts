import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(root, 'bin', 'gongkai.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `gongkai start` as a real child process (so it can be killed with SIGKILL). */
export function startServerProcess(args: string[], env: Record<string, string | undefined>, port: number): ServerProcess {
  const child = spawn(process.execPath, [CLI, 'start', '--port', String(port), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

export async function waitReady(server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early: ${server.output()}`);
    try {
      const response = await fetch(`${server.base}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`server not ready in time: ${server.output()}`);
}

export function runCli(args: string[], env: Record<string, string | undefined>, input?: string) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** A minimal cookie-keeping HTTP client for a server in another process. */
export class HttpSession {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private remember(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
  }

  async get(url: string) {
    const response = await fetch(this.base + url, {
      headers: { cookie: this.cookieHeader(), accept: 'text/html' },
      redirect: 'manual',
    });
    this.remember(response);
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  }

  async post(url: string, form: Record<string, string>) {
    const response = await fetch(this.base + url, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  static csrfOf(html: string) {
    const match = html.match(/name="_csrf" value="([^"]+)"/);
    if (!match) throw new Error('no csrf token');
    return match[1];
  }

  async login(username: string, password: string) {
    const page = await this.get('/login');
    return this.post('/login', { username, password, _csrf: HttpSession.csrfOf(page.body) });
  }
}
