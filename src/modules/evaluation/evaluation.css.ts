/**
 * Styles of the rollout dashboard, the evaluation pages and the annual report (bars, ranking,
 * the printable report). Served at EVALUATION_CSS_URL, so the shared site.css stays untouched.
 */
export const EVALUATION_CSS_URL = '/evaluation/assets/evaluation.css';

export const EVALUATION_CSS = `
.progress-bar { display: inline-flex; align-items: center; gap: 8px; white-space: nowrap; }
.progress-bar svg { display: block; }
.progress-bar .bar-track { fill: #e5e7eb; }
.progress-bar .bar-fill { fill: #1d4f91; }
.progress-bar.done .bar-fill { fill: #2e7d32; }
.progress-bar .bar-value { font-variant-numeric: tabular-nums; min-width: 3.5em; }
.rollout-table td, .rollout-table th { vertical-align: middle; }
.step-late { color: #b3261e; font-weight: bold; }
.formula { background: #fff; border: 1px solid #b1b4b6; padding: 8px 16px; }
.formula code { white-space: pre-wrap; }
.score { font-variant-numeric: tabular-nums; font-weight: bold; }
.annual-report { max-width: 1000px; }
.annual-report h1 { text-align: center; }
.annual-report .report-text { white-space: pre-wrap; }
.annual-report table { margin-bottom: 24px; }
.annual-report td.num { text-align: right; font-variant-numeric: tabular-nums; }
@media print {
  body.public > header, body.public > footer, .breadcrumbs, .no-print { display: none !important; }
  .annual-report { max-width: none; }
}
`;
