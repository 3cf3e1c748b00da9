import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../bench/queries.ts';
import type { QueryLexeme } from './search.ts';
import { SearchIndexBuilder } from './search-index.build.ts';

// The index's own storage at a size the database tests do not reach: lexemes in most rows (kept as
// bitsets), rare ones far apart (multi-byte distances), prefixes over many lexemes — checked
// against a plain scan of the same rows.

interface Row {
  id: number;
  category: string;
  departmentId: number;
  lexemes: Map<string, boolean>;
}

const ROWS = 5000;
const rand = prng(7);
const COMMON = ['许', '可', '许可', 'xk', 'xuke'];
const rows: Row[] = [];
for (let i = 0; i < ROWS; i++) {
  const lexemes = new Map<string, boolean>();
  for (const lexeme of COMMON) if (rand() < 0.8) lexemes.set(lexeme, rand() < 0.5);
  // Rare lexemes, hundreds of rows apart: distances of two and three bytes.
  if (i % 997 === 3) lexemes.set('罕', true);
  if (i % 331 === 5) lexemes.set('qa', false);
  for (let k = 0; k < 6; k++) {
    const word = `${String.fromCharCode(97 + Math.floor(rand() * 6))}${String.fromCharCode(97 + Math.floor(rand() * 6))}${Math.floor(rand() * 9)}`;
    lexemes.set(word, rand() < 0.3);
    lexemes.set(String.fromCharCode(0x4e00 + Math.floor(rand() * 40)), rand() < 0.3);
  }
  rows.push({ id: 10_000 + i, category: i % 3 ? 'other' : 'licensing', departmentId: 1 + (i % 4), lexemes });
}

const quote = (lexeme: string) => `'${lexeme.replace(/'/g, "''")}'`;
const vectorOf = (row: Row) =>
  [...row.lexemes].map(([lexeme, inName], k) => `${quote(lexeme)}:${k + 1}${inName ? 'A' : ''}`).join(' ');

function scan(
  lexemes: QueryLexeme[],
  filter: { category?: string; departmentId?: number; offset: number; limit: number },
  cap: number,
) {
  const holds = (row: Row, nameOnly: boolean) =>
    lexemes.every((q) =>
      [...row.lexemes].some(
        ([lexeme, inName]) => (q.prefix ? lexeme.startsWith(q.text) : lexeme === q.text) && (!nameOnly || inName),
      ),
    );
  const matches = rows.filter(
    (row) =>
      (filter.category === undefined || row.category === filter.category) &&
      (filter.departmentId === undefined || row.departmentId === filter.departmentId) &&
      holds(row, false),
  );
  const ordered = [...matches.filter((row) => holds(row, true)), ...matches.filter((row) => !holds(row, true))];
  return {
    ids: ordered.slice(filter.offset, filter.offset + filter.limit).map((row) => row.id),
    total: Math.min(matches.length, cap),
    totalCapped: matches.length > cap,
  };
}

test('the index finds what a plain scan finds, for frequent, rare and prefix terms', () => {
  const builder = new SearchIndexBuilder(ROWS);
  for (const row of rows) {
    builder.add({
      id: row.id,
      versionId: row.id + 1,
      code: `C${row.id}`,
      departmentId: row.departmentId,
      category: row.category,
      vector: vectorOf(row),
    });
  }
  const index = builder.build();
  const stats = index.stats();
  assert.ok(stats.bitsetLexemes >= COMMON.length, `frequent lexemes are kept as bitsets (${stats.bitsetLexemes})`);
  assert.ok(stats.listBytes > 0);
  const queries: QueryLexeme[][] = [
    [{ text: '许可', prefix: false }],
    [{ text: '罕', prefix: false }],
    [
      { text: '罕', prefix: false },
      { text: '许', prefix: false },
    ],
    [{ text: 'q', prefix: true }],
    [{ text: 'xu', prefix: true }],
    [{ text: 'a', prefix: true }],
    [
      { text: 'ab', prefix: true },
      { text: '可', prefix: false },
    ],
    [{ text: 'fa', prefix: true }],
    [
      { text: '一', prefix: false },
      { text: 'x', prefix: true },
    ],
  ];
  for (const lexemes of queries) {
    for (const filter of [{}, { category: 'licensing' }, { departmentId: 3 }]) {
      for (const [offset, limit, cap] of [
        [0, 20, 1000],
        [990, 30, 1000],
        [3, 7, 50],
      ]) {
        const want = scan(lexemes, { ...filter, offset, limit }, cap);
        const got = index.search(lexemes, { ...filter, offset, limit }, cap);
        const label = `${JSON.stringify(lexemes)} ${JSON.stringify(filter)} ${offset}/${limit}/${cap}`;
        assert.deepEqual(
          got.powers.map((p) => p.id),
          want.ids,
          label,
        );
        assert.deepEqual([got.total, got.totalCapped], [want.total, want.totalCapped], label);
        for (const p of got.powers) assert.deepEqual([p.versionId, p.code], [p.id + 1, `C${p.id}`]);
      }
    }
  }
});

test('the builder refuses more rows than it was sized for', () => {
  const builder = new SearchIndexBuilder(1);
  builder.add({ id: 1, versionId: 1, code: 'A', departmentId: 1, category: 'other', vector: "'a':1A" });
  assert.throws(() => builder.add({ id: 2, versionId: 2, code: 'B', departmentId: 1, category: 'other', vector: "'a':1A" }));
});
