import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';
import { heapGrowingFlag } from './heap-growing.ts';

test('development works with no variables at all', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.locale, 'zh-CN');
  assert.equal(config.databaseUrl, undefined);
  assert.ok(config.sessionSecret.length >= 32);
  assert.ok(Object.isFrozen(config));
});

test('production refuses to start without SESSION_SECRET and names it', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://gk.example.cn' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match((error as Error).message, /SESSION_SECRET/);
      return true;
    },
  );
});

test('production refuses to start without PUBLIC_BASE_URL and names it', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }), /PUBLIC_BASE_URL/);
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ LOCALE: 'fr' }), /LOCALE/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ PGLITE_WORKER: 'maybe' }), /PGLITE_WORKER/);
  assert.throws(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' }), /HEAP_GROWING_PERCENT/);
  assert.throws(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' }), /HEAP_GROWING_PERCENT/);
});

test('the heap grows by 30 % past what survived unless HEAP_GROWING_PERCENT says otherwise (0: V8 decides)', () => {
  assert.equal(loadConfig({}).heapGrowingPercent, 30);
  assert.equal(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent, 0);
  assert.equal(loadConfig({ HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent, 50);
  assert.equal(heapGrowingFlag(30), '--heap-growing-percent=30');
  assert.equal(heapGrowingFlag(0), undefined);
  assert.equal(heapGrowingFlag(undefined), undefined);
});

test('the search index is built from 1,000 public powers unless SEARCH_INDEX_MIN_POWERS says otherwise', () => {
  assert.equal(loadConfig({}).searchIndexMinPowers, 1000);
  assert.equal(loadConfig({ SEARCH_INDEX_MIN_POWERS: '0' }).searchIndexMinPowers, 0);
  assert.throws(() => loadConfig({ SEARCH_INDEX_MIN_POWERS: '-1' }), /SEARCH_INDEX_MIN_POWERS/);
  assert.throws(() => loadConfig({ SEARCH_INDEX_MIN_POWERS: 'many' }), /SEARCH_INDEX_MIN_POWERS/);
});

test('PGlite runs in a worker thread unless PGLITE_WORKER=off', () => {
  assert.equal(loadConfig({}).pgliteWorker, true);
  assert.equal(loadConfig({ PGLITE_WORKER: 'off' }).pgliteWorker, false);
  assert.equal(loadConfig({ PGLITE_WORKER: 'on' }).pgliteWorker, true);
});

test('values are read from the environment', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    LOCALE: 'en',
    DATABASE_URL: 'postgres://127.0.0.1/gk',
    DATA_DIR: '/tmp/gk',
  });
  assert.equal(config.port, 8080);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.locale, 'en');
  assert.equal(config.databaseUrl, 'postgres://127.0.0.1/gk');
  assert.equal(config.dataDir, '/tmp/gk');
});
