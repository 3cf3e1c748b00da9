import { pinyin } from 'pinyin-pro';
import { ACTIONS, OBJECTS, powerNames } from './vocabulary.ts';

export type QueryKind = 'word' | 'char' | 'initials';

export interface BenchQuery {
  kind: QueryKind;
  q: string;
}

/** A small deterministic PRNG (mulberry32), so every run searches the same queries. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Pinyin initials of a Chinese phrase: 医疗机构 → ylj g → "yljg". */
export function initialsOf(text: string): string {
  const syllables = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }) as string[];
  return syllables.map((s) => s[0] ?? '').join('');
}

/** The candidate pools, each without duplicates, drawn from the generator's vocabulary. */
export function queryPools(): Record<QueryKind, string[]> {
  const names = powerNames().map((n) => n.name);
  const phrases = [...OBJECTS, ...ACTIONS.map(([a]) => a)];
  const words = new Set<string>(phrases);
  // Two-character words inside the phrases (机构, 执业, 许可 …) as users type them.
  for (const phrase of phrases) {
    const chars = [...phrase];
    for (let i = 0; i + 1 < chars.length; i += 2) words.add(chars[i] + chars[i + 1]);
  }
  for (const name of names) words.add(name);
  const chars = new Set<string>();
  for (const phrase of phrases) for (const ch of phrase) chars.add(ch);
  const initials = new Set<string>();
  for (const phrase of phrases) {
    const code = initialsOf(phrase);
    if (code.length >= 2) initials.add(code);
  }
  // Users type the first few initials of a name (yljg for 医疗机构…), rarely all of them.
  for (const name of names) {
    const code = initialsOf(name);
    for (let k = 3; k <= Math.min(code.length, 8); k++) initials.add(code.slice(0, k));
  }
  return { word: [...words], char: [...chars], initials: [...initials] };
}

/**
 * `count` distinct queries (default 1,000): about 40 % words, 20 % single characters and 40 %
 * pinyin initials, shuffled with a fixed seed. Fails when the vocabulary cannot supply enough.
 */
export function generateQuerySet(count = 1000, seed = 20261129): BenchQuery[] {
  const random = prng(seed);
  const pools = queryPools();
  const want: Record<QueryKind, number> = {
    char: Math.min(Math.round(count * 0.2), pools.char.length),
    initials: Math.round(count * 0.4),
    word: 0,
  };
  want.initials = Math.min(want.initials, pools.initials.length);
  want.word = count - want.char - want.initials;
  const seen = new Set<string>();
  const out: BenchQuery[] = [];
  for (const kind of ['word', 'char', 'initials'] as const) {
    let taken = 0;
    for (const q of shuffled(pools[kind], random)) {
      if (taken === want[kind]) break;
      if (seen.has(q)) continue;
      seen.add(q);
      out.push({ kind, q });
      taken++;
    }
    if (taken < want[kind]) throw new Error(`query set: only ${taken} distinct ${kind} queries, ${want[kind]} needed`);
  }
  return shuffled(out, random);
}
