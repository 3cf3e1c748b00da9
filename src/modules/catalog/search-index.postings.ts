/**
 * The storage of the search index's posting lists (search-index.ts). A list is the ascending
 * entries `row << 1 | inName`, each stored as its distance from the one before in a variable-length
 * byte code (7 bits a byte: 1–3 bytes an entry instead of 4), or — for a lexeme so frequent that
 * this takes more room — a pair of bitsets, one bit a row. Every query reads whole lists in order,
 * which is all this code allows and all it needs.
 */

export interface Bits {
  all: Uint32Array;
  name: Uint32Array;
}
export type Postings = Uint8Array | Bits;

/** 32-bit words of a bitset of `rows` bits. */
export const words = (rows: number) => Math.ceil(rows / 32);

export function setEntry(bits: Bits, entry: number): void {
  const row = entry >>> 1;
  bits.all[row >>> 5] |= 1 << (row & 31);
  if (entry & 1) bits.name[row >>> 5] |= 1 << (row & 31);
}

/** Decodes the first `length` bytes of a posting list. */
export function forEachEntry(bytes: Uint8Array, length: number, each: (entry: number) => void): void {
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

/** Sets the bits of every entry of `postings` in `into`. */
export function orInto(into: Bits, postings: Postings): void {
  if (postings instanceof Uint8Array) {
    forEachEntry(postings, postings.length, (entry) => setEntry(into, entry));
    return;
  }
  for (let w = 0; w < into.all.length; w++) {
    into.all[w] |= postings.all[w];
    into.name[w] |= postings.name[w];
  }
}
