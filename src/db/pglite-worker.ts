/**
 * The worker thread that owns a PGlite instance when the server runs PGlite off the main thread
 * (pglite-remote.ts). It answers one message per statement; transactions are PGlite's own
 * `transaction()`, held open until the main thread commits or rolls back, so other statements
 * wait on PGlite's lock exactly as they do in-process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type QueryOutcome, serializeError, type WorkerInit, type WorkerReply, type WorkerRequest } from './pglite-protocol.ts';
import { sharedParsers } from './type-parsers.ts';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread');
const port = parentPort;
const init = workerData as WorkerInit;

const open = new Map<number, { tx: Transaction; finish: (commit: boolean) => void; done: Promise<void> }>();
let nextTx = 1;

const send = (reply: WorkerReply) => port.postMessage(reply);

async function main() {
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir: init.dataDir,
      loadDataDir: init.loadDataDir ? new Blob([init.loadDataDir]) : undefined,
      parsers: sharedParsers,
    });
  } catch (error) {
    send({ id: 0, ok: false, error: serializeError(error) });
    return;
  }

  const target = (tx?: number) => {
    if (tx === undefined) return client;
    const entry = open.get(tx);
    if (!entry) throw new Error(`no open transaction ${tx}`);
    return entry.tx;
  };

  async function handle(message: WorkerRequest): Promise<QueryOutcome | number | undefined> {
    switch (message.op) {
      case 'query': {
        // Rows as arrays, the column names once: cheaper for PGlite to build and for postMessage
        // to copy than one object per row (rowsToObjects() in pglite-remote.ts makes the objects).
        const result = await target(message.tx).query<unknown[]>(message.sql, message.params as unknown[], { rowMode: 'array' });
        return { columns: result.fields.map((f) => f.name), rows: result.rows, affectedRows: result.affectedRows };
      }
      case 'exec':
        await target(message.tx).exec(message.sql);
        return undefined;
      case 'begin':
        return begin();
      case 'commit':
      case 'rollback': {
        const entry = open.get(message.tx);
        if (!entry) throw new Error(`no open transaction ${message.tx}`);
        entry.finish(message.op === 'commit');
        try {
          await entry.done;
        } finally {
          open.delete(message.tx);
        }
        return undefined;
      }
      case 'close':
        for (const entry of open.values()) entry.finish(false);
        await client.close();
        return undefined;
    }
  }

  /** Opens a PGlite transaction and keeps it open until commit or rollback arrives. */
  function begin(): Promise<number> {
    const id = nextTx++;
    return new Promise<number>((started, failed) => {
      let finish: (commit: boolean) => void = () => {};
      const decided = new Promise<boolean>((resolve) => {
        finish = resolve;
      });
      const done = client
        .transaction(async (tx) => {
          open.set(id, { tx, finish, done });
          started(id);
          if (!(await decided)) await tx.rollback();
        })
        .then(() => undefined);
      done.catch((error) => {
        if (!open.has(id)) failed(error); // BEGIN itself failed
      });
    });
  }

  port.on('message', (message: WorkerRequest) => {
    handle(message).then(
      (value) => send({ id: message.id, ok: true, value }),
      (error) => send({ id: message.id, ok: false, error: serializeError(error) }),
    );
  });
  send({ id: 0, ready: true });
}

void main();
