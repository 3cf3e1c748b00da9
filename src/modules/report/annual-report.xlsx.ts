import type { Translate } from '../../i18n/i18n.ts';
import {
  LITIGATION_GROUPS,
  LITIGATION_OUTCOMES,
  proactiveRows,
  requestRows,
  safeCell,
  sumOutcomes,
} from './annual-report.model.ts';
import type { ReportContent } from './annual-report.view.tsx';

/**
 * The annual report as an XLSX workbook (one sheet, sections 一 to 六 in order). Text cells go
 * through safeCell, so report text starting with = + - @ is never read as a formula. The caller
 * passes text already masked for the public.
 */
export async function annualReportXlsx(report: ReportContent, t: Translate): Promise<Buffer> {
  // Loaded on demand: ExcelJS is heavy and only exports need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet(String(report.year));
  sheet.columns = [{ width: 48 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }];
  const text = (value: string) => safeCell(value);
  const heading = (value: string) => {
    const row = sheet.addRow([text(value)]);
    row.font = { bold: true };
  };
  const title = sheet.addRow([text(t('annualReport.docTitle', { department: report.departmentName, year: report.year }))]);
  title.font = { bold: true, size: 14 };
  sheet.addRow([]);
  heading(t('annualReport.s1'));
  sheet.addRow([text(report.overview)]).alignment = { wrapText: true, vertical: 'top' };
  heading(t('annualReport.s2'));
  for (const [key, value] of proactiveRows(report.figures)) sheet.addRow([text(t(`annualReport.proactive.${key}`)), value]);
  heading(t('annualReport.s3'));
  for (const [key, value] of requestRows(report.figures)) sheet.addRow([text(t(`annualReport.requests.${key}`)), value]);
  heading(t('annualReport.s4'));
  sheet.addRow([
    text(t('annualReport.col.kind')),
    ...LITIGATION_OUTCOMES.map((o) => text(t(`annualReport.lit.${o}`))),
    text(t('annualReport.lit.total')),
  ]).font = { bold: true };
  for (const g of LITIGATION_GROUPS) {
    const counts = report.litigation[g];
    sheet.addRow([text(t(`annualReport.lit.${g}`)), ...LITIGATION_OUTCOMES.map((o) => counts[o]), sumOutcomes(counts)]);
  }
  heading(t('annualReport.s5'));
  sheet.addRow([text(report.problems)]).alignment = { wrapText: true, vertical: 'top' };
  heading(t('annualReport.s6'));
  sheet.addRow([text(report.otherMatters)]).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
