import { Cron } from 'croner';
import type { Db } from '../../db/connect.ts';
import { sweepOrphanFiles } from './file-store.service.ts';

/**
 * Daily at 03:10 China time: removes files on disk that no row references (left by a transaction
 * that failed outside transactionWithFiles, or by a crash between writing and committing).
 * Started from server.ts only. Safe on several instances: each only deletes unreferenced files
 * older than six hours.
 */
export function startFileJobs(db: Db, log: (line: string) => void = () => {}): Cron {
  return new Cron('0 10 3 * * *', { timezone: 'Asia/Shanghai', protect: true, unref: true, name: 'files.sweep' }, async () => {
    try {
      const removed = await sweepOrphanFiles(db);
      if (removed) log(`files: ${removed} unreferenced file(s) removed`);
    } catch (error) {
      log(`files sweep failed: ${(error as Error).message}`);
    }
  });
}
