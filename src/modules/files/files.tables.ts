import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type StoredMime = 'application/pdf' | 'image/jpeg' | 'image/png';

/**
 * One uploaded file. `owner_kind`/`owner_id` name the object it belongs to (e.g. 'application', 12);
 * `label` is what the file is (e.g. the material's name). The bytes are at
 * <dataDir>/files/<sha256[0..2]>/<sha256> — identical content is stored once.
 * `mime_type` is the type detected from the file's magic bytes, not the one the browser declared.
 * `created_by` is the staff user who uploaded it, null for the public.
 */
export interface StoredFileTable {
  id: Generated<number>;
  owner_kind: string;
  owner_id: string;
  label: string | null;
  filename: string;
  mime_type: StoredMime;
  size_bytes: number;
  sha256: string;
  created_at: Timestamp;
  created_by: number | null;
}

export interface FilesTables {
  stored_file: StoredFileTable;
}
