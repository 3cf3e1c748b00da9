import type { QueryLexeme } from './search.ts';

/**
 * The public search held in memory (docs/performance.md, "Search index"): the lexemes of every
 * public power's search vector, read from the database, with the powers that carry each.
 *
 * It answers exactly what `catalog.search.repository.ts` answers in SQL — `vector @@ tsquery` for
 * the matches, `ts_filter(vector, '{a}') @@ tsquery` for "the name matches" — because it holds the
 * very lexemes the database stores: Chinese terms are looked up exactly (single characters and
 * bigrams; the longer words of the vectors are never asked for and are not kept), Latin and pinyin
 * terms as prefixes over the sorted Latin lexemes. Rows are kept in catalogue (code) order, so a
 * page is read off bitsets in that order with the name matches first.
 *
 * A posting list is the ascending entries `row << 1 | inName`, each stored as its distance from the
 * one before in a variable-length byte code (7 bits a byte: 1–3 bytes an entry instead of 4), or —
 * for a lexeme so frequent that this takes more room — a pair of bitsets. Every query reads whole
 * lists in order, which is all this code allows and all it needs.
 */

const HAN = /\p{Script=Han}/u;

interface Bits {
  all: Uint32Array;
  name: Uint32Array;
}
type Postings = Uint8Array | Bits;

/** A posting list while the index is built. */
interface Growing {
  bytes: Uint8Array | undefined;
  /** Bytes used. */
  length: number;
  /** The last entry appended (deltas are taken from it). */
  last: number;
  bits: Bits | undefined;
}

export interface IndexedRow {
  id: number;
  /** The power's current version (its public row is read by this id). */
  versionId: number;
  code: string;
  departmentId: number;
  category: string;
  /** The search vector as PostgreSQL prints it (`search_vector::text`). */
  vector: string;
}

export interface IndexFilter {
  category?: string;
  departmentId?: number;
  limit: number;
  offset: number;
}

export interface IndexedPower {
  id: number;
  versionId: number;
  code: string;
  departmentId: number;
}

export interface IndexHit {
  /** The page's powers, name matches first, each group in catalogue order. */
  powers: IndexedPower[];
  total: number;
  totalCapped: boolean;
}

const words = (rows: number) => Math.ceil(rows / 32);

/**
 * A copy that does not keep `text`'s source alive: V8 makes a slice of 13 or more characters a view
 * into the string it was cut from, and a key kept for good must not pin a whole 1 KB vector.
 */
const ownCopy = (text: string) => (text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8'));

/**
 * Calls `each(lexeme, inName)` for every lexeme of a tsvector's text form: `'lexeme':1A,2 'x'`,
 * quotes doubled and backslashes escaped inside a lexeme, weight D printed as no letter.
 */
export function forEachLexeme(vector: string, each: (lexeme: string, inName: boolean) => void): void {
  let i = vector.indexOf("'");
  // The next backslash, looked for again only once passed (most vectors have none: one scan).
  let backslash = vector.indexOf('\\');
  while (i >= 0) {
    let end = i + 1;
    let text = '';
    for (;;) {
      const quote = vector.indexOf("'", end);
      if (quote < 0) throw new Error('search vector: unterminated lexeme');
      if (backslash >= 0 && backslash < end) backslash = vector.indexOf('\\', end);
      if (backslash >= 0 && backslash < quote) {
        text += vector.slice(end, backslash) + vector[backslash + 1];
        end = backslash + 2;
      } else if (vector[quote + 1] === "'") {
        text += vector.slice(end, quote + 1);
        end = quote + 2;
      } else {
        text += vector.slice(end, quote);
        end = quote + 1;
        break;
      }
    }
    let next = end;
    let inName = false;
    if (vector[end] === ':') {
      const space = vector.indexOf(' ', end);
      next = space < 0 ? vector.length : space;
      inName = vector.slice(end, next).includes('A');
    }
    each(text, inName);
    i = vector.indexOf("'", next);
  }
}

/** Collects rows in catalogue order; `expectedRows` sizes the bitsets of frequent lexemes. */
export class SearchIndexBuilder {
  private readonly ids: number[] = [];
  private readonly versionIds: number[] = [];
  private readonly codes: string[] = [];
  private readonly departments: number[] = [];
  private readonly categories: number[] = [];
  private readonly categoryCodes = new Map<string, number>();
  private readonly han = new Map<string, Growing>();
  private readonly latin = new Map<string, Growing>();
  private readonly bitWords: number;
  /** A list longer than this (the two bitsets' size) becomes bitsets. */
  private readonly bitBytes: number;

  constructor(private readonly expectedRows: number) {
    this.bitWords = words(expectedRows);
    this.bitBytes = Math.max(64, this.bitWords * 8);
  }

  get rows(): number {
    return this.ids.length;
  }

  add(row: IndexedRow): void {
    const at = this.ids.length;
    if (at >= this.expectedRows) throw new Error('search index: more rows than expected');
    this.ids.push(row.id);
    this.versionIds.push(row.versionId);
    this.codes.push(row.code);
    this.departments.push(row.departmentId);
    let category = this.categoryCodes.get(row.category);
    if (category === undefined) {
      category = this.categoryCodes.size;
      this.categoryCodes.set(row.category, category);
    }
    this.categories.push(category);
    forEachLexeme(row.vector, (lexeme, inName) => {
      // Every Han character lies at or above U+2E80: most lexemes (pinyin, codes) skip the regex.
      const han = lexeme.charCodeAt(0) >= 0x2e80 && HAN.test(lexeme);
      // Queries ask for Chinese single characters and bigrams only (search.ts, parseQuery).
      if (han && lexeme.length > 2 && [...lexeme].length > 2) return;
      const map = han ? this.han : this.latin;
      let growing = map.get(lexeme);
      if (!growing) {
        growing = { bytes: undefined, length: 0, last: 0, bits: undefined };
        map.set(ownCopy(lexeme), growing);
      }
      this.append(growing, at, inName);
    });
  }

  private append(growing: Growing, row: number, inName: boolean): void {
    const entry = (row << 1) | (inName ? 1 : 0);
    if (growing.bits) {
      setEntry(growing.bits, entry);
      return;
    }
    // A vector holds each lexeme once, so entries only ascend.
    let delta = entry - growing.last;
    growing.last = entry;
    if (!growing.bytes || growing.length + 5 > growing.bytes.length) {
      if (growing.length + 5 > this.bitBytes) {
        growing.bits = { all: new Uint32Array(this.bitWords), name: new Uint32Array(this.bitWords) };
        forEachEntry(growing.bytes as Uint8Array, growing.length, (e) => setEntry(growing.bits as Bits, e));
        setEntry(growing.bits, entry);
        growing.bytes = undefined;
        return;
      }
      const grown = new Uint8Array(Math.min(this.bitBytes, Math.max(8, growing.length * 2)));
      if (growing.bytes) grown.set(growing.bytes.subarray(0, growing.length));
      growing.bytes = grown;
    }
    const bytes = growing.bytes;
    while (delta >= 0x80) {
      bytes[growing.length++] = (delta & 0x7f) | 0x80;
      delta >>>= 7;
    }
    bytes[growing.length++] = delta;
  }

  /**
   * The index, its storage packed: every posting list in one byte array and every bitset in one
   * word array (views into them), the codes in one string. Tens of thousands of small arrays and
   * strings cost each full garbage collection a mark and, for arrays, an external-memory record:
   * unpacked, they slowed every request of the server (cached pages by a third) once the index was
   * there.
   */
  build(): SearchIndex {
    const growing = [...this.han.values(), ...this.latin.values()];
    let listBytes = 0;
    let bitsets = 0;
    for (const g of growing) {
      if (g.bits) bitsets++;
      else listBytes += g.length;
    }
    const lists = new Uint8Array(listBytes);
    const words = new Uint32Array(bitsets * 2 * this.bitWords);
    let byteAt = 0;
    let wordAt = 0;
    const pack = (g: Growing): Postings => {
      if (g.bits) {
        const all = words.subarray(wordAt, wordAt + this.bitWords);
        all.set(g.bits.all);
        const name = words.subarray(wordAt + this.bitWords, wordAt + 2 * this.bitWords);
        name.set(g.bits.name);
        wordAt += 2 * this.bitWords;
        return { all, name };
      }
      const view = lists.subarray(byteAt, byteAt + g.length);
      view.set((g.bytes as Uint8Array).subarray(0, g.length));
      byteAt += g.length;
      return view;
    };
    const han = new Map<string, Postings>();
    for (const [lexeme, g] of this.han) han.set(lexeme, pack(g));
    this.han.clear();
    const latinLexemes = [...this.latin.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const latinPostings = latinLexemes.map((lexeme) => pack(this.latin.get(lexeme) as Growing));
    this.latin.clear();
    const codeEnds = new Int32Array(this.codes.length);
    let end = 0;
    this.codes.forEach((code, k) => {
      end += code.length;
      codeEnds[k] = end;
    });
    return new SearchIndex({
      ids: Int32Array.from(this.ids),
      versionIds: Int32Array.from(this.versionIds),
      codeText: this.codes.join(''),
      codeEnds,
      departments: Int32Array.from(this.departments),
      categories: Uint16Array.from(this.categories),
      categoryCodes: new Map(this.categoryCodes),
      han,
      latinLexemes,
      latinPostings,
    });
  }
}

interface IndexParts {
  ids: Int32Array;
  versionIds: Int32Array;
  /** Every row's code, one after another; row k's ends at codeEnds[k]. */
  codeText: string;
  codeEnds: Int32Array;
  departments: Int32Array;
  categories: Uint16Array;
  categoryCodes: Map<string, number>;
  han: Map<string, Postings>;
  latinLexemes: string[];
  latinPostings: Postings[];
}

export class SearchIndex {
  private scratch: [Uint32Array, Uint32Array, Uint32Array, Uint32Array] | undefined;

  constructor(private readonly parts: IndexParts) {}

  get rows(): number {
    return this.parts.ids.length;
  }

  /** Distinct lexemes, bytes of posting lists and of bitsets (docs/performance.md). */
  stats(): { lexemes: number; listBytes: number; bitsetLexemes: number; bitsetBytes: number } {
    let listBytes = 0;
    let bitsetLexemes = 0;
    let bitsetBytes = 0;
    const count = (p: Postings) => {
      if (p instanceof Uint8Array) listBytes += p.length;
      else {
        bitsetLexemes++;
        bitsetBytes += p.all.byteLength + p.name.byteLength;
      }
    };
    for (const p of this.parts.han.values()) count(p);
    for (const p of this.parts.latinPostings) count(p);
    return { lexemes: this.parts.han.size + this.parts.latinLexemes.length, listBytes, bitsetLexemes, bitsetBytes };
  }

  /**
   * The matches of all `lexemes` (ANDed) within the filter: how many (counted up to `cap`, as the
   * SQL search counts) and the page's ids, name matches first, then the others, by code.
   */
  search(lexemes: readonly QueryLexeme[], filter: IndexFilter, cap: number): IndexHit {
    const n = words(this.rows);
    // Scratch reused by every search (it runs to completion without yielding): four fresh 12 KB
    // arrays a search kept the garbage collector busy a fifth of the time under load.
    this.scratch ??= [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
    const [all, name, termAll, termName] = this.scratch;
    all.fill(0);
    name.fill(0);
    // The smallest term first fills the result (nothing found there ends the search); each further
    // one can only clear bits, a bitset term in a single pass.
    const terms = lexemes.map((lexeme) => this.postingsOf(lexeme)).sort((a, b) => sizeOf(a) - sizeOf(b));
    for (let k = 0; k < terms.length; k++) {
      const term = terms[k];
      if (k === 0) {
        for (const postings of term) orInto(all, name, postings);
        if (isEmpty(all)) break;
      } else if (term.length === 1 && !(term[0] instanceof Uint8Array)) {
        const bits = term[0];
        for (let w = 0; w < n; w++) {
          all[w] &= bits.all[w];
          name[w] &= bits.name[w];
        }
      } else {
        termAll.fill(0);
        termName.fill(0);
        for (const postings of term) orInto(termAll, termName, postings);
        for (let w = 0; w < n; w++) {
          all[w] &= termAll[w];
          name[w] &= termName[w];
        }
      }
    }
    this.applyFilter(all, filter);
    let total = 0;
    for (let w = 0; w < n && total <= cap; w++) total += popcount(all[w]);
    const powers: IndexedPower[] = [];
    let skip = filter.offset;
    const take = (bits: (w: number) => number) => {
      for (let w = 0; w < n && powers.length < filter.limit; w++) {
        let word = bits(w);
        while (word !== 0 && powers.length < filter.limit) {
          const low = word & -word;
          const row = (w << 5) + 31 - Math.clz32(low);
          word ^= low;
          if (skip > 0) skip--;
          else powers.push(this.power(row));
        }
      }
    };
    take((w) => all[w] & name[w]);
    take((w) => all[w] & ~name[w]);
    return { powers, total: Math.min(total, cap), totalCapped: total > cap };
  }

  /** The posting lists a query term matches: one lexeme's, or every lexeme's it is a prefix of. */
  private postingsOf(lexeme: QueryLexeme): Postings[] {
    if (!lexeme.prefix) {
      const postings = this.parts.han.get(lexeme.text);
      return postings ? [postings] : [];
    }
    const { latinLexemes, latinPostings } = this.parts;
    const found: Postings[] = [];
    for (let k = lowerBound(latinLexemes, lexeme.text); k < latinLexemes.length && latinLexemes[k].startsWith(lexeme.text); k++) {
      found.push(latinPostings[k]);
    }
    return found;
  }

  private power(row: number): IndexedPower {
    const { ids, versionIds, codeText, codeEnds, departments } = this.parts;
    const code = codeText.slice(row === 0 ? 0 : codeEnds[row - 1], codeEnds[row]);
    return { id: ids[row], versionId: versionIds[row], code, departmentId: departments[row] };
  }

  private applyFilter(all: Uint32Array, filter: IndexFilter): void {
    if (filter.category === undefined && filter.departmentId === undefined) return;
    const category = filter.category === undefined ? undefined : this.parts.categoryCodes.get(filter.category);
    if (filter.category !== undefined && category === undefined) {
      all.fill(0);
      return;
    }
    const { departments, categories } = this.parts;
    for (let w = 0; w < all.length; w++) {
      let word = all[w];
      while (word !== 0) {
        const low = word & -word;
        const row = (w << 5) + 31 - Math.clz32(low);
        word ^= low;
        if (
          (category !== undefined && categories[row] !== category) ||
          (filter.departmentId !== undefined && departments[row] !== filter.departmentId)
        ) {
          all[w] &= ~low;
        }
      }
    }
  }
}

/** About how much a term's lists take to read (a bitset as much as a full list). */
function sizeOf(term: Postings[]): number {
  let size = 0;
  for (const postings of term) size += postings instanceof Uint8Array ? postings.length : postings.all.byteLength * 2;
  return size;
}

function isEmpty(bits: Uint32Array): boolean {
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) return false;
  return true;
}

function setEntry(bits: Bits, entry: number): void {
  const row = entry >>> 1;
  bits.all[row >>> 5] |= 1 << (row & 31);
  if (entry & 1) bits.name[row >>> 5] |= 1 << (row & 31);
}

/** Decodes the first `length` bytes of a posting list. */
function forEachEntry(bytes: Uint8Array, length: number, each: (entry: number) => void): void {
  let entry = 0;
  let k = 0;
  while (k < length) {
    let delta = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[k++];
      delta |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    entry += delta;
    each(entry);
  }
}

function orInto(all: Uint32Array, name: Uint32Array, postings: Postings): void {
  if (postings instanceof Uint8Array) {
    forEachEntry(postings, postings.length, (entry) => {
      const row = entry >>> 1;
      all[row >>> 5] |= 1 << (row & 31);
      if (entry & 1) name[row >>> 5] |= 1 << (row & 31);
    });
    return;
  }
  for (let w = 0; w < all.length; w++) {
    all[w] |= postings.all[w];
    name[w] |= postings.name[w];
  }
}

/** First index whose lexeme is not below `text` (code-unit order, in which a prefix's lexemes are contiguous). */
function lowerBound(sorted: readonly string[], text: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < text) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
