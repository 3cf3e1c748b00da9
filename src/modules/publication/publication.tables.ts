import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;

export type PublicationKind = 'press_release' | 'press_conference';
export const PUBLICATION_KINDS: readonly PublicationKind[] = ['press_release', 'press_conference'];
/** draft → published → withdrawn (→ published again); never deleted. */
export type PublicationStatus = 'draft' | 'published' | 'withdrawn';

interface Content {
  kind: PublicationKind;
  /** Headline (Chinese); `title_en` an optional English headline. */
  title: string;
  title_en: string | null;
  /** Lead paragraph for lists and feeds; the body's start when empty. */
  summary: string | null;
  /** Plain text, paragraphs separated by blank lines. */
  body: string;
  /** Press conferences: when and where it was held and who spoke (发布人). */
  conference_at: Timestamp | null;
  conference_place: string | null;
  speakers: string | null;
  /** Disclosure scope and term (DESIGN §3.7), decided by disclosure/visibility.ts. */
  scope: Scope;
  term_kind: TermKind;
  term_start: DateCol | null;
  term_end: DateCol | null;
}

/** One press release or press-conference record of a department (unit). */
export interface PublicationTable extends Content {
  id: Generated<number>;
  department_id: number;
  status: Generated<PublicationStatus>;
  /** 1 when created, +1 per edit or status change; each has a `publication_revision` row. */
  revision: Generated<number>;
  /** First publication; kept when withdrawn and published again. */
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  withdraw_reason: string | null;
  created_by: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** Append-only history: the publication as it was after each change. */
export interface PublicationRevisionTable extends Content {
  id: Generated<number>;
  publication_id: number;
  revision: number;
  status: PublicationStatus;
  /** What changed: 'created', 'edited', 'published', 'withdrawn: <reason>'. */
  note: string | null;
  changed_by: number | null;
  changed_at: DefaultTimestamp;
}

export interface PublicationTables {
  publication: PublicationTable;
  publication_revision: PublicationRevisionTable;
}
