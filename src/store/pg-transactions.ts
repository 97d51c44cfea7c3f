import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

// Prisma ends an interactive transaction by sending COMMIT or ROLLBACK through it and only then
// tells the adapter to hand the connection back to the pool. When that statement fails (the
// connection was lost) it never does: each such transaction keeps a pool slot for good, and after
// ten the app's Prisma queries wait for a connection that never comes. Here a failed COMMIT or
// ROLLBACK hands the connection back itself (the pool drops a lost one).
const ENDS = new Set(["COMMIT", "ROLLBACK"]);

function releasingOnFailedEnd(tx: Transaction): Transaction {
  const executeRaw = tx.executeRaw.bind(tx);
  tx.executeRaw = async (query: SqlQuery) => {
    try {
      return await executeRaw(query);
    } catch (err) {
      if (ENDS.has(query.sql)) await tx.rollback();
      throw err;
    }
  };
  return tx;
}

export function releasingFailedEnds(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => {
      const adapter = await factory.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => releasingOnFailedEnd(await startTransaction(isolationLevel));
      return adapter;
    },
  };
}
