/**
 * Writers for the open-data downloads. A cell a spreadsheet would run as a formula (starting with
 * = + - @, a tab or a carriage return) gets a leading apostrophe, in CSV and in XLSX alike.
 */
export interface Table {
  /** Sheet name (XLSX). */
  name: string;
  headers: string[];
  rows: Array<Array<string | number | null>>;
}

export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const text = (value: string | number | null): string => (value === null ? '' : String(value));

export function toCsv(table: Table): string {
  const cell = (value: string | number | null) => {
    const safe = typeof value === 'number' ? String(value) : neutralise(text(value));
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${[table.headers, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export async function toXlsx(table: Table): Promise<Buffer> {
  // Loaded on first use: ExcelJS is heavy and only downloads need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  sheet.addRow(table.headers.map(neutralise)).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((v) => (typeof v === 'number' ? v : neutralise(text(v)))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** XML text and attribute escaping (feeds, sitemap), dropping characters XML 1.0 forbids. */
export function xml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
