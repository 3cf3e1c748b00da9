import { type Bits, forEachEntry, type Postings, setEntry, words } from './search-index.postings.ts';
import { SearchIndex } from './search-index.ts';

/**
 * Builds the search index (search-index.ts) from the public powers' search vectors as PostgreSQL
 * prints them, rows in catalogue order, and packs it.
 */

const HAN = /\p{Script=Han}/u;

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
