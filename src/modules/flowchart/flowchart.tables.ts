import type { ColumnType, Generated } from 'kysely';
import type { Flowchart } from './flowchart.model.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface FlowchartTable {
  id: Generated<number>;
  /** Set for an item chart: the power version it belongs to (one chart per version). */
  power_version_id: number | null;
  /** Set for a category chart, with its version number. */
  category: string | null;
  category_version: number | null;
  /** Steps and transitions; written as JSON text. */
  model: ColumnType<Flowchart, string, string>;
  /** 法定程序: the procedure is fixed by law, named in legal_source. */
  legal_procedure: Generated<boolean>;
  legal_source: string | null;
  /** sha256 of the canonical model: caches and ETags key on it. */
  content_hash: string;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FlowchartTables {
  flowchart: FlowchartTable;
}
