import { AppError } from '../../app-error.ts';
import { translate } from '../../i18n/i18n.ts';
import { checkBudget } from './flowchart.budget.ts';
import './flowchart.messages.ts';
import { type Flowchart, type FlowchartIssue, normalizeFlowchart, type StepLimit, validateStructure } from './flowchart.model.ts';

/** Every problem of a chart: structure first; the budget only once the structure is sound. */
export function flowchartIssues(chart: Flowchart, promised: StepLimit | null | undefined): FlowchartIssue[] {
  const structural = validateStructure(chart);
  return structural.length ? structural : checkBudget(chart, promised);
}

/**
 * Normalises and checks a chart; throws an AppError whose code is the first problem's code
 * (e.g. FLOWCHART_OVER_BUDGET, with the path and the numbers) and whose details list them all.
 */
export function assertValidFlowchart(
  input: Flowchart,
  promised: StepLimit | null | undefined,
  locale?: 'zh-CN' | 'en',
): Flowchart {
  const chart = normalizeFlowchart(input);
  const issues = flowchartIssues(chart, promised);
  if (issues.length) throw issuesToError(issues, locale);
  return chart;
}

/** A detail message in both languages (the API's details are not localised), like the catalog's. */
export function issueMessage(issue: FlowchartIssue, locale?: 'zh-CN' | 'en'): string {
  if (locale) return translate(locale, `error.${issue.code}`, issue.params);
  const zh = translate('zh-CN', `error.${issue.code}`, issue.params);
  const en = translate('en', `error.${issue.code}`, issue.params);
  return zh === en ? zh : `${zh} / ${en}`;
}

export function issuesToError(issues: FlowchartIssue[], locale?: 'zh-CN' | 'en'): AppError {
  const first = issues[0];
  return new AppError(
    first.code,
    first.params,
    issues.map((issue) => ({ path: issue.path, message: issueMessage(issue, locale) })),
  );
}
