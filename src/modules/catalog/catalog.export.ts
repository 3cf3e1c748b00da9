import type { Db } from '../../db/connect.ts';
import { translate } from '../../i18n/i18n.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './catalog.repository.ts';
import { publicView, type VersionWithPower } from './catalog.view.ts';

export const ANNEX_ONE_HEADERS = [
  '序号',
  '事项名称',
  '权力类别',
  '行使依据',
  '公开形式',
  '公开范围',
  '公开时间',
  '收费依据和标准',
  '承办部门',
  '法定时限',
  '承诺时限',
] as const;
export const ANNEX_TWO_HEADERS = ['序号', '事项名称', '类别', '不公开理由'] as const;

/** A cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection). */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const SCOPE_LABELS: Record<string, string> = {
  public: '主动公开',
  limited: '依申请公开',
  internal: '内部公开',
  leadership: '领导班子内部',
};
export const SCOPE_BY_LABEL = new Map<string, string>([
  ...Object.entries(SCOPE_LABELS).map(([k, v]) => [v, k] as [string, string]),
  ['向社会公开', 'public'],
  ['社会公开', 'public'],
  ['公开', 'public'],
  ['限定范围公开', 'limited'],
  ['内部', 'internal'],
  ['领导班子', 'leadership'],
  ...['public', 'limited', 'internal', 'leadership'].map((k) => [k, k] as [string, string]),
]);
export const FORM_LABELS: Record<string, string> = {
  website: '网站',
  bulletin_board: '公示栏',
  service_window: '服务窗口',
  guide_card: '办事指南卡',
  newspaper: '报刊',
  hotline: '服务热线',
};

function limitText(days: number | null, unit: string | null): string {
  if (days === null || !unit) return '无';
  return days === 0 ? '即办' : `${days}个${unit === 'natural' ? '自然日' : '工作日'}`;
}

export function annexOneRow(index: number, row: VersionWithPower, categoryLabels: Map<string, string>): string[] {
  const view = publicView(row);
  const fee = view.fee as { charged: boolean; basis?: string; standard?: string };
  return [
    String(index),
    view.name,
    categoryLabels.get(view.category) ?? view.category,
    view.legalBasis.map((b) => `${b.title}${b.article ? b.article : ''}`).join('；'),
    view.disclosure.forms.map((f) => FORM_LABELS[f] ?? f).join('、'),
    SCOPE_LABELS[view.disclosure.scope] ?? view.disclosure.scope,
    view.disclosure.term.kind === 'timely' ? `及时公开至${view.disclosure.term.end ?? ''}` : '长期公开',
    fee.charged ? `${fee.basis ?? ''}：${fee.standard ?? ''}` : '不收费',
    view.responsibleOffice ?? '',
    limitText(row.statutory_days, row.statutory_unit),
    limitText(row.promised_days, row.promised_unit),
  ];
}

/**
 * Rows for an export. `public`: what the public catalog shows (never confidential). `confidential`:
 * 附件二 for staff and the city office only — callers must have checked the permission.
 */
export async function exportRows(db: Db, options: { departmentId?: number; confidential?: boolean }) {
  const categories = await repo.listCategories(db);
  const labels = new Map(categories.map((c) => [c.code, c.label_zh]));
  if (options.confidential) {
    const rows = (await repo.listConfidential(
      db,
      options.departmentId ? [options.departmentId] : undefined,
    )) as VersionWithPower[];
    return {
      headers: [...ANNEX_TWO_HEADERS] as string[],
      rows: rows.map((r, i) => [
        String(i + 1),
        r.name,
        labels.get(r.category) ?? r.category,
        `${translate('zh-CN', `catalog.ground.${r.confidential_ground ?? 'other'}`)}：${r.confidential_reason ?? ''}`,
      ]),
      items: [] as ReturnType<typeof publicView>[],
    };
  }
  const items: VersionWithPower[] = [];
  for (let offset = 0; ; offset += 1000) {
    const batch = await repo.listPublic(db, todayInChina(), { departmentId: options.departmentId, limit: 1000, offset });
    items.push(...(batch.items as VersionWithPower[]));
    if (batch.items.length < 1000) break;
  }
  return {
    headers: [...ANNEX_ONE_HEADERS] as string[],
    rows: items.map((r, i) => annexOneRow(i + 1, r, labels)),
    items: items.map((r) => publicView(r)),
  };
}

export async function toXlsx(sheetName: string, headers: string[], rows: string[][]): Promise<Buffer> {
  // Loaded on demand: ExcelJS is heavy and only imports and exports need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(headers).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(neutralise));
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 6 : i === 1 || i === 3 ? 40 : 16;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function toCsv(headers: string[], rows: string[][]): string {
  const cell = (value: string) => {
    const safe = neutralise(value);
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${[headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
