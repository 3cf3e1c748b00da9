import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly sessionSecret: string;
  readonly publicBaseUrl: string;
  readonly logLevel: string;
  readonly locale: Locale;
  /** Idle and absolute session lifetimes, in seconds. */
  readonly sessionIdleSeconds: number;
  readonly sessionAbsoluteSeconds: number;
  /** How often PGlite's WAL is checkpointed, in seconds. */
  readonly checkpointSeconds: number;
  /** The server runs PGlite in a worker thread (PGLITE_WORKER, default on; 'off' keeps it on the main thread). */
  readonly pgliteWorker: boolean;
  /** Largest accepted upload (PDF/JPEG/PNG), in MB (MAX_UPLOAD_MB, default 10). */
  readonly maxUploadMb?: number;
  /**
   * How far the server lets the JavaScript heap grow past what survived the last full collection,
   * in percent (HEAP_GROWING_PERCENT, default 30; 0 leaves it to V8). A soft bound, not a limit.
   */
  readonly heapGrowingPercent?: number;
  /**
   * How many public powers the catalogue must hold before the public search is answered from the
   * application's index (SEARCH_INDEX_MIN_POWERS, default 1000; 0 always). Below it SQL answers alone.
   */
  readonly searchIndexMinPowers?: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function switchVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads configuration from the environment (plus CLI overrides). Development gets working
 * defaults; production refuses to start without the secrets, naming the missing variable.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const production = nodeEnv === 'production';

  const sessionSecret = env.SESSION_SECRET;
  if (production && (!sessionSecret || sessionSecret.length < 32)) {
    throw new ConfigError('SESSION_SECRET is required in production (at least 32 characters)');
  }
  const port = overrides.port ?? intVar(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
  const publicBaseUrl = env.PUBLIC_BASE_URL || (production ? undefined : `http://localhost:${port}`);
  if (!publicBaseUrl) throw new ConfigError('PUBLIC_BASE_URL is required in production');
  try {
    new URL(publicBaseUrl);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute URL, got "${publicBaseUrl}"`);
  }
  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const locale = (env.LOCALE || 'zh-CN') as Locale;
  if (!LOCALES.includes(locale)) throw new ConfigError(`LOCALE must be zh-CN or en, got "${env.LOCALE}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const config: Config = {
    env: nodeEnv,
    port,
    host,
    dataDir: path.resolve(overrides.dataDir ?? env.DATA_DIR ?? './data'),
    databaseUrl: overrides.databaseUrl ?? databaseUrl,
    // A random development secret only invalidates sessions on restart, which is acceptable there.
    sessionSecret: sessionSecret || randomBytes(32).toString('hex'),
    publicBaseUrl: publicBaseUrl.replace(/\/$/, ''),
    logLevel,
    locale,
    sessionIdleSeconds: intVar(env, 'SESSION_IDLE_SECONDS', 30 * 60, 60, 7 * 24 * 3600),
    sessionAbsoluteSeconds: intVar(env, 'SESSION_ABSOLUTE_SECONDS', 12 * 3600, 300, 30 * 24 * 3600),
    checkpointSeconds: intVar(env, 'CHECKPOINT_SECONDS', 300, 5, 86400),
    pgliteWorker: switchVar(env, 'PGLITE_WORKER', true),
    maxUploadMb: intVar(env, 'MAX_UPLOAD_MB', 10, 1, 20),
    heapGrowingPercent: intVar(env, 'HEAP_GROWING_PERCENT', 30, 0, 400),
    searchIndexMinPowers: intVar(env, 'SEARCH_INDEX_MIN_POWERS', 1000, 0, 100_000_000),
    ...overrides,
  };
  return Object.freeze(config);
}
