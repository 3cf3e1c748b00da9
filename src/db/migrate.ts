import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  });
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>, onStep?: (name: string) => void): Promise<MigrationReport> {
  const { error, results } = await migrator(db).migrateToLatest();
  const applied: string[] = [];
  for (const result of results ?? []) {
    if (result.status === 'Success') {
      applied.push(result.migrationName);
      onStep?.(result.migrationName);
    } else if (result.status === 'Error') {
      throw new Error(`Migration ${result.migrationName} failed: ${String(error)}`, { cause: error });
    }
  }
  if (error) throw error;
  return { applied };
}
