import { readFile } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { createPowersBulk } from './catalog.bulk.ts';
import { ANNEX_ONE_HEADERS, FORM_LABELS, SCOPE_BY_LABEL } from './catalog.export.ts';
import * as repo from './catalog.repository.ts';
import { bilingual, isDate, type Limit, limitProblems, type PowerInput, structuralProblems } from './catalog.rules.ts';
import { checkXlsxContainer, looksLikeFormula } from './catalog.xlsx-guard.ts';

export interface ImportError {
  row: number;
  column: string;
  message: string;
}

const FORM_BY_LABEL = new Map(
  Object.entries(FORM_LABELS).flatMap(
    ([code, label]) =>
      [
        [label, code],
        [code, code],
      ] as Array<[string, string]>,
  ),
);

/** Which 附件一 column a JSON pointer of the input belongs to. */
function columnOf(path: string): string {
  const p = path.replace(/^\//, '').split('/')[0];
  return (
    {
      name: '事项名称',
      category: '权力类别',
      legalBasis: '行使依据',
      disclosure: '公开范围',
      fee: '收费依据和标准',
      responsibleOffice: '承办部门',
      statutoryLimit: '法定时限',
      promisedLimit: '承诺时限',
    }[p] ?? p
  );
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in value) return String(value.text).trim();
    if ('result' in value) return String(value.result ?? '').trim();
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value).trim();
}

export function parseLimit(text: string): Limit | null | 'invalid' {
  const t = text.replace(/\s/g, '');
  if (!t || t === '无' || t === '—' || t === '-') return null;
  if (t === '即办') return { days: 0, unit: 'working' };
  const m = t.match(/^(\d+)个?(工作日|自然日|日|天)$/);
  if (!m) return 'invalid';
  return { days: Number(m[1]), unit: m[2] === '自然日' ? 'natural' : 'working' };
}

function parseBasis(text: string) {
  return text
    .split(/[；;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = s.match(/^(《[^》]+》)\s*(.*)$/);
      return m ? { title: m[1], ...(m[2] ? { article: m[2] } : {}) } : { title: s };
    });
}

/** Reads the 附件一 sheet; every problem is reported with its row number and column. */
export async function readAnnexOne(db: Db, file: string | Buffer) {
  // Loaded on demand: ExcelJS is heavy and only imports and exports need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const data = typeof file === 'string' ? await readFile(file) : file;
  checkXlsxContainer(data);
  try {
    await workbook.xlsx.load(data as never);
  } catch (error) {
    throw new AppError('IMPORT_FILE_INVALID', { reason: error instanceof Error ? error.message : String(error) });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('IMPORT_FILE_INVALID', { reason: 'no worksheet' });
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).map(cellText);
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    index.set(h, i);
  });
  const missing = ANNEX_ONE_HEADERS.filter((h) => h !== '序号' && !index.has(h));
  if (missing.length) throw new AppError('IMPORT_FILE_INVALID', { reason: `缺少列 / missing columns: ${missing.join(', ')}` });
  const categories = await repo.listCategories(db);
  const categoryBy = new Map(
    categories.flatMap(
      (c) =>
        [
          [c.label_zh, c.code],
          [c.code, c.code],
          [c.label_en, c.code],
        ] as Array<[string, string]>,
    ),
  );
  const errors: ImportError[] = [];
  const inputs: PowerInput[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const get = (h: string) => cellText(row.getCell(index.get(h)!).value);
    if (ANNEX_ONE_HEADERS.every((h) => !index.has(h) || get(h) === '')) return;
    const fail = (column: string, message: string) => errors.push({ row: rowNumber, column, message });
    // Formula injection: real formulas and text a spreadsheet would run as one are refused.
    for (const h of ANNEX_ONE_HEADERS) {
      if (!index.has(h)) continue;
      const raw = row.getCell(index.get(h)!).value;
      if ((raw && typeof raw === 'object' && ('formula' in raw || 'sharedFormula' in raw)) || looksLikeFormula(cellText(raw)))
        fail(h, '不得使用公式或以 = + - @ 开头 / no formulas, and no text starting with = + - @');
    }
    const category = categoryBy.get(get('权力类别'));
    if (!category)
      fail('权力类别', bilingual('catalog.problem.category', { values: categories.map((c) => c.label_zh).join('、') }));
    const forms = get('公开形式')
      .split(/[、,，\s]+/)
      .filter(Boolean);
    const formCodes = forms.map((f) => FORM_BY_LABEL.get(f));
    if (formCodes.some((f) => !f)) fail('公开形式', `${forms.join('、')}：${Object.values(FORM_LABELS).join('、')}`);
    const scope = get('公开范围') ? SCOPE_BY_LABEL.get(get('公开范围')) : 'public';
    if (!scope) fail('公开范围', bilingual('catalog.problem.scope', { values: [...SCOPE_BY_LABEL.keys()].join('、') }));
    const termText = get('公开时间');
    const timely = termText.match(/^及时公开(?:至)?\s*(\d{4}-\d{2}-\d{2})?$/);
    if (termText && termText !== '长期公开' && (!timely || !isDate(timely[1])))
      fail('公开时间', bilingual('catalog.problem.termEnd'));
    const feeText = get('收费依据和标准');
    const [feeBasis, feeStandard] = feeText.split(/[：:]/);
    const statutory = parseLimit(get('法定时限'));
    const promised = parseLimit(get('承诺时限'));
    if (statutory === 'invalid')
      fail('法定时限', bilingual('catalog.problem.days', { field: bilingual('catalog.field.statutoryLimit') }));
    if (promised === 'invalid')
      fail('承诺时限', bilingual('catalog.problem.days', { field: bilingual('catalog.field.promisedLimit') }));
    const input: PowerInput = {
      name: get('事项名称'),
      category: category ?? '',
      legalBasis: parseBasis(get('行使依据')),
      responsibleOffice: get('承办部门') || null,
      disclosure: {
        forms: formCodes.filter((f): f is string => Boolean(f)),
        scope: (scope ?? 'public') as PowerInput['disclosure']['scope'],
        term: timely ? { kind: 'timely', end: timely[1] } : { kind: 'long_term' },
      },
      fee:
        !feeText || feeText === '不收费'
          ? { charged: false }
          : { charged: true, basis: feeBasis ?? '', standard: feeStandard ?? feeBasis ?? '' },
      statutoryLimit: statutory === 'invalid' ? null : statutory,
      promisedLimit: promised === 'invalid' ? null : promised,
      inventorySource: 'top_down',
    };
    const problems: ErrorDetail[] = [...structuralProblems(input), ...limitProblems(input, null).map((p) => p.detail)];
    for (const p of problems) if (!(p.path === '/category' && !category)) fail(columnOf(p.path), p.message);
    inputs.push(input);
  });
  return { inputs, errors };
}

/** Validates the whole file first; any error → nothing imported (IMPORT_FAILED lists every row and column). */
export async function importAnnexOne(
  trx: Db,
  actor: Actor,
  departmentId: number,
  file: string | Buffer,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
) {
  const { inputs, errors } = await readAnnexOne(trx, file);
  if (errors.length) {
    throw new AppError(
      'IMPORT_FAILED',
      { count: errors.length },
      errors.map((e) => ({
        path: `/rows/${e.row}/${e.column}`,
        message: `第 ${e.row} 行“${e.column}” / row ${e.row} "${e.column}": ${e.message}`,
      })),
    );
  }
  if (options.dryRun) return { count: inputs.length, created: [] };
  const created = await createPowersBulk(trx, actor, departmentId, inputs, options.onProgress);
  return { count: created.length, created };
}
