import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type AnnualReportStatus = 'draft' | 'reviewed' | 'published';

/** 四、行政复议、行政诉讼情况: entered by hand (the counts live outside this system). */
export interface LitigationCounts {
  reconsideration: OutcomeCounts;
  /** 未经复议直接起诉 */
  litigationDirect: OutcomeCounts;
  /** 复议后起诉 */
  litigationAfterReconsideration: OutcomeCounts;
}

/** 结果维持 / 结果纠正 / 其他结果 / 尚未审结 (总计 is their sum). */
export interface OutcomeCounts {
  upheld: number;
  corrected: number;
  other: number;
  pending: number;
}

/**
 * The figures computed from the services when the report is generated (二 and 三), frozen with the
 * report once it is reviewed. Counts only, never personal data.
 */
export interface AnnualFigures {
  version: 1;
  year: number;
  proactive: {
    powersAdded: number;
    powersChanged: number;
    powersAbolished: number;
    powersInForce: number;
    weeklySummaries: number;
    decisions: number | null;
    licensingDecisions: number;
    penaltyDecisions: number;
    enforcementDecisions: number;
    feeFen: number;
  };
  requests: {
    received: number;
    carriedOver: number;
    /** Outcome row code (annual-report.model.ts OUTCOME_ROWS) → count. */
    byOutcome: Record<string, number>;
    total: number;
    carriedForward: number;
    /** False when the request module offered no counts when the figures were generated. */
    available: boolean;
  };
}

/**
 * 政府信息公开工作年度报告 of one department and year (国办公开办函〔2021〕30号 structure): draft
 * (dept_office writes the text and hand counts, regenerates the figures) → reviewed (dept_leader
 * approves, or returns to draft with a comment) → published by dept_office (immutable, trigger).
 */
export interface AnnualReportTable {
  id: Generated<number>;
  department_id: number;
  year: number;
  status: Generated<AnnualReportStatus>;
  overview: Generated<string>;
  problems: Generated<string>;
  other_matters: Generated<string>;
  litigation: Json<LitigationCounts>;
  figures: Json<AnnualFigures>;
  generated_at: Timestamp;
  review_comment: string | null;
  reviewed_by: number | null;
  reviewed_at: Timestamp | null;
  published_at: Timestamp | null;
  scope: Generated<Scope>;
  term_kind: Generated<TermKind>;
  term_start: string | null;
  term_end: string | null;
  created_at: Generated<Timestamp>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AnnualReportTables {
  annual_report: AnnualReportTable;
}
