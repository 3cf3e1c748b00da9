import { pinyin } from 'pinyin-pro';

/**
 * Search tokens for Chinese text, computed in the application so PGlite and PostgreSQL index
 * the same way (a 'simple' tsvector): CJK unigrams and bigrams, whole words (Intl.Segmenter),
 * Latin/digit words, and — for the fields that ask for it — pinyin, both full syllables and
 * initials, as suffixes starting at every character so that a prefix query finds any substring
 * ("fzj" finds 计划生育家庭特别扶助金给付, "jhsy" finds 计划生育).
 */
const HAN = /\p{Script=Han}/u;
const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const MAX_PINYIN_SUFFIX = 24;
const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function runsOf(text: string): Array<{ han: boolean; text: string }> {
  const runs: Array<{ han: boolean; text: string }> = [];
  for (const match of normalise(text).matchAll(RUN)) {
    runs.push({ han: Boolean(match[1]), text: match[0] });
  }
  return runs;
}

function hanTokens(run: string, into: Set<string>): void {
  const chars = [...run];
  for (let i = 0; i < chars.length; i++) {
    into.add(chars[i]);
    if (i + 1 < chars.length) into.add(chars[i] + chars[i + 1]);
  }
  if (chars.length > 2) {
    for (const { segment } of segmenter.segment(run)) if ([...segment].length > 2) into.add(segment);
  }
}

function pinyinTokens(run: string, into: Set<string>): void {
  const full = pinyin(run, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }) as string[];
  const initials = full.map((syllable) => syllable[0] ?? '');
  for (let i = 0; i < full.length; i++) {
    into.add(initials.slice(i).join('').slice(0, MAX_PINYIN_SUFFIX));
    into.add(full.slice(i).join('').slice(0, MAX_PINYIN_SUFFIX));
  }
}

/** Lexemes for one field; `withPinyin` for short fields (name, office). */
export function tokensOf(text: string | null | undefined, withPinyin = false): string[] {
  if (!text) return [];
  const tokens = new Set<string>();
  for (const run of runsOf(text)) {
    if (run.han) {
      hanTokens(run.text, tokens);
      if (withPinyin) pinyinTokens(run.text, tokens);
    } else if (run.text.length <= 60) {
      tokens.add(run.text);
    }
  }
  return [...tokens].filter((token) => token.length > 0);
}

/**
 * A tsvector literal (cast with `::tsvector`, no parser involved, so both databases store the
 * very same lexemes as a 'simple' configuration would): name lexemes weigh A, the rest D.
 */
export function vectorLiteral(fields: {
  name: string;
  other: Array<string | null | undefined>;
  pinyinFields?: Array<string | null | undefined>;
}): string {
  const weights = new Map<string, Set<string>>();
  const add = (tokens: string[], weight: string) => {
    for (const token of tokens) {
      const set = weights.get(token) ?? new Set<string>();
      set.add(weight);
      weights.set(token, set);
    }
  };
  add(tokensOf(fields.name, true), 'A');
  for (const text of fields.pinyinFields ?? []) add(tokensOf(text, true), 'D');
  for (const text of fields.other) add(tokensOf(text), 'D');
  return [...weights].map(([lexeme, set]) => `${quote(lexeme)}:${[...set].map((w, i) => `${i + 1}${w}`).join(',')}`).join(' ');
}

/** One ANDed term of a query: a lexeme matched exactly (Chinese) or as a prefix (Latin, pinyin). */
export interface QueryLexeme {
  text: string;
  prefix: boolean;
}

export interface ParsedQuery {
  /** tsquery text, or '' when nothing searchable was given. */
  tsquery: string;
  /** The same terms as the tsquery, unquoted (the application's search index, search-index.ts). */
  lexemes: QueryLexeme[];
  /** Terms for highlighting: Chinese runs as written, Latin runs as pinyin or words. */
  terms: Array<{ han: boolean; text: string }>;
}

/**
 * Tokenises a query the way documents are: each Chinese run must match all its bigrams (or the
 * single character), each Latin run is a prefix (pinyin suffixes, words). All terms are ANDed.
 */
export function parseQuery(q: string | undefined | null): ParsedQuery {
  const runs = runsOf((q ?? '').slice(0, 200)).slice(0, 10);
  const lexemes: QueryLexeme[] = [];
  for (const run of runs) {
    if (run.han) {
      const chars = [...run.text];
      if (chars.length === 1) lexemes.push({ text: chars[0], prefix: false });
      else {
        const bigrams = new Set<string>();
        for (let i = 0; i + 1 < chars.length; i++) bigrams.add(chars[i] + chars[i + 1]);
        for (const text of bigrams) lexemes.push({ text, prefix: false });
      }
    } else {
      lexemes.push({ text: run.text.slice(0, MAX_PINYIN_SUFFIX), prefix: true });
    }
  }
  return {
    tsquery: lexemes.map((l) => (l.prefix ? `${quote(l.text)}:*` : quote(l.text))).join(' & '),
    lexemes,
    terms: runs,
  };
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits `text` into highlighted and plain segments for the query's terms, Chinese or pinyin. */
export function highlight(text: string, terms: ParsedQuery['terms']): Segment[] {
  const chars = [...text];
  const marked = new Array<boolean>(chars.length).fill(false);
  const lower = chars.map((c) => normalise(c));
  let syllables: string[] | undefined;
  for (const term of terms) {
    const needle = [...term.text];
    for (let i = 0; i + needle.length <= chars.length; i++) {
      if (needle.every((c, j) => lower[i + j] === c)) for (let j = 0; j < needle.length; j++) marked[i + j] = true;
    }
    if (term.han) continue;
    syllables ??= chars.map((c) => (HAN.test(c) ? (pinyin(c, { toneType: 'none', v: true }) as string) : ''));
    for (let i = 0; i < chars.length; i++) {
      if (!syllables[i]) continue;
      // Initials: one character per letter.
      let k = 0;
      while (k < term.text.length && i + k < chars.length && syllables[i + k] && syllables[i + k][0] === term.text[k]) k++;
      if (k === term.text.length) {
        for (let j = 0; j < k; j++) marked[i + j] = true;
        continue;
      }
      // Full pinyin: consume whole syllables (the last may be a prefix).
      let rest = term.text;
      let j = i;
      while (rest && j < chars.length && syllables[j]) {
        const s = syllables[j];
        if (rest.startsWith(s)) rest = rest.slice(s.length);
        else if (s.startsWith(rest)) rest = '';
        else break;
        j++;
      }
      if (!rest && j > i) for (let m = i; m < j; m++) marked[m] = true;
    }
  }
  const segments: Segment[] = [];
  chars.forEach((c, i) => {
    const last = segments[segments.length - 1];
    if (last && last.hit === marked[i]) last.text += c;
    else segments.push({ text: c, hit: marked[i] });
  });
  return segments;
}
