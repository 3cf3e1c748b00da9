import type { QueryLexeme } from './search.ts';
import { type Bits, orInto, type Postings, words } from './search-index.postings.ts';

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
 * Built by search-index.build.ts; posting lists stored as search-index.postings.ts describes.
 */

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

export interface IndexParts {
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
  /** Reused by every search (it runs to completion without yielding): fresh bitsets each search kept the garbage collector busy a fifth of the time under load. */
  private scratch: { result: Bits; term: Bits } | undefined;

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
    const bits = () => ({ all: new Uint32Array(n), name: new Uint32Array(n) });
    this.scratch ??= { result: bits(), term: bits() };
    const { result, term: scratch } = this.scratch;
    const { all, name } = result;
    all.fill(0);
    name.fill(0);
    // The smallest term first fills the result (nothing found there ends the search); each further
    // one can only clear bits — a lone bitset directly, lists gathered into the scratch first.
    const terms = lexemes.map((lexeme) => this.postingsOf(lexeme)).sort((a, b) => sizeOf(a) - sizeOf(b));
    for (let k = 0; k < terms.length; k++) {
      const term = terms[k];
      if (k === 0) {
        for (const postings of term) orInto(result, postings);
        if (isEmpty(all)) break;
        continue;
      }
      let other: Bits;
      if (term.length === 1 && !(term[0] instanceof Uint8Array)) other = term[0];
      else {
        scratch.all.fill(0);
        scratch.name.fill(0);
        for (const postings of term) orInto(scratch, postings);
        other = scratch;
      }
      for (let w = 0; w < n; w++) {
        all[w] &= other.all[w];
        name[w] &= other.name[w];
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
