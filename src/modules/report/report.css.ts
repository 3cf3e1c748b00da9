/**
 * Styles of the report and supervision pages (key figures, charts beside tables, the printable
 * bulletin). Served at REPORT_CSS_URL from this module, so the shared site.css stays untouched;
 * the pages link it (CSP style-src 'self' allows it).
 */
export const REPORT_CSS_URL = '/reports/assets/report.css';

export const REPORT_CSS = `
.key-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 16px 0; }
.key-figures > div { background: var(--white, #fff); border: 1px solid var(--border, #b1b4b6); border-left: 4px solid var(--blue, #0b4f8a); padding: 8px 12px; }
.key-figures dt { font-size: 0.9rem; color: var(--muted, #555); }
.key-figures dd { margin: 0; font-size: 1.5rem; font-weight: bold; }
.chart-and-table { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; align-items: start; }
@media (min-width: 1000px) { .chart-and-table { grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); } }
.chart-box { background: var(--white, #fff); border: 1px solid var(--border, #b1b4b6); padding: 4px; overflow-x: auto; }
.chart-box svg { max-width: 100%; height: auto; display: block; }
.report-section { margin: 24px 0 40px; }
.report-table tfoot th, .report-table tfoot td { font-weight: bold; border-top: 2px solid var(--text, #1f1f1f); }
.audit-head { background: var(--white, #fff); border: 1px dashed var(--border, #b1b4b6); padding: 8px 16px; margin: 16px 0; }
.audit-head dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
.audit-head dd { margin: 0; }
code.hash { overflow-wrap: anywhere; word-break: break-all; font-size: 0.9rem; }
body.print-sheet { background: #fff; max-width: 1100px; margin: 0 auto; padding: 24px; font-size: 18px; }
body.print-sheet h1 { text-align: center; font-size: 1.8rem; }
body.print-sheet .bulletin { page-break-after: always; }
body.print-sheet table { font-size: 1rem; }
@media print {
  body.print-sheet { padding: 0; font-size: 12pt; }
  .chart-box { border: none; }
  .chart-and-table { display: block; }
}
`;
