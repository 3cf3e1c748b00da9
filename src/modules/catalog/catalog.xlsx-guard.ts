import { inflateRawSync } from 'node:zlib';
import { AppError } from '../../app-error.ts';

/** What an uploaded XLSX may unpack to: well above any real catalog, far below a zip bomb. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 2000;

const invalid = (reason: string) => new AppError('IMPORT_FILE_INVALID', { reason });

/**
 * Checks an XLSX (a zip) before ExcelJS unpacks it into memory: it must be a zip, have a sane
 * number of entries and unpack to at most `maxBytes` in total. The sizes are measured by
 * inflating each entry with a hard output cap, not taken from the (forgeable) headers.
 */
export function checkXlsxContainer(data: Buffer, maxBytes = MAX_XLSX_UNPACKED_BYTES): void {
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50) throw invalid('不是 XLSX 文件 / not an XLSX (zip) file');
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw invalid('文件不完整 / the file is truncated');
  const entries = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  if (entries > MAX_ENTRIES) throw invalid(`条目过多 / too many entries (${entries})`);
  let budget = maxBytes;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > data.length || data.readUInt32LE(offset) !== 0x02014b50)
      throw invalid('文件已损坏 / corrupt zip directory');
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const local = data.readUInt32LE(offset + 42);
    const nameLength = data.readUInt16LE(offset + 28);
    offset += 46 + nameLength + data.readUInt16LE(offset + 30) + data.readUInt16LE(offset + 32);
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw invalid('文件已损坏 / corrupt zip entry');
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const body = data.subarray(start, start + compressedSize);
    if (body.length < compressedSize) throw invalid('文件不完整 / the file is truncated');
    let size = compressedSize;
    if (method === 8) {
      try {
        size = inflateRawSync(body, { maxOutputLength: budget + 1 }).length;
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') size = budget + 1;
        else throw invalid('文件已损坏 / corrupt compressed data');
      }
    } else if (method !== 0) throw invalid(`不支持的压缩方式 / unsupported compression (${method})`);
    budget -= size;
    if (budget < 0) throw invalid(`解压后超过 ${maxBytes / 1024 / 1024} MB / unpacks to more than ${maxBytes / 1024 / 1024} MB`);
  }
}

/** A text cell a spreadsheet would run as a formula (= + - @); a lone "-" (meaning "none") is fine. */
export function looksLikeFormula(text: string): boolean {
  return /^[=+@\t\r]/.test(text) || (/^-/.test(text) && text !== '-');
}
