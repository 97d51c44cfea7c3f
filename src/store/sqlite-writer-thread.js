// The SQLite writer thread (plain JavaScript: worker threads load it without a TypeScript loader).
// It owns the one connection of this process that writes: the statements that carry whole
// webhook payloads, the app's other plain SQL, and every Prisma statement but the plain reads
// (src/store/sqlite-thread-adapter.ts). One writer means nothing in the process contends for
// SQLite's write lock, and when another process holds it, the busy wait happens here, on the
// machine's other core, never on the HTTP event loop.
"use strict";
const { parentPort, workerData, receiveMessageOnPort } = require("node:worker_threads");
const { PrismaBetterSQLite3 } = require("@prisma/adapter-better-sqlite3");

const BUSY_TIMEOUT_MS = 10000;
let adapter;
let db;
const statements = new Map();

let failed = null;
const ready = new PrismaBetterSQLite3({ url: workerData.file, timeout: BUSY_TIMEOUT_MS })
  .connect()
  .then((a) => {
    adapter = a;
    db = a.client;
    db.pragma("journal_mode = WAL");
    // NORMAL for the app's own state (durable across a process crash; a power cut may take back
    // the last commits: a message marked sent may go again, nothing is lost). Webhook batches
    // switch to FULL for their commit (runPairs).
    db.pragma("synchronous = NORMAL");
    // What is deleted (a redacted customer, a purged payload) is overwritten with zeros, not left
    // readable in free pages of the file. Per connection: this is the only one that writes.
    db.pragma("secure_delete = ON");
  })
  .catch((err) => {
    failed = err; // every message is answered with it
  });

function statement(sql) {
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (statements.size < 200) statements.set(sql, stmt);
  }
  return stmt;
}

function run(sql, params) {
  const stmt = statement(sql);
  return stmt.reader ? stmt.all(...params) : (stmt.run(...params), []);
}

// Several statements come as one transaction: all of them commit, or none (a statement that must
// return a row and returns none undoes them all, with its reason as the error).
const runAll = (list) =>
  db.transaction(() =>
    list.map((s) => {
      const rows = run(s.sql, s.params);
      if (s.mustReturn && rows.length === 0) throw new Error(s.mustReturn);
      return rows;
    }),
  )();

// Two one-row statements run for each pair of parameter lists, in one transaction: the second
// only if the first changed a row ("insert the event; if it was new, insert its payload").
// Returns whether each first did, per group. Several groups (webhook batches that queued here
// while the previous commit ran) share the transaction: one commit and one fsync for all of
// them, where each used to pay its own. FULL: the commit (a webhook batch, before its 200)
// reaches the disk, so a power cut cannot take back an acknowledged webhook that Shopify will not
// send again. One fsync per commit: ROLE=web within 3% of NORMAL in paired runs (bench/README.md).
function runPairs(groups) {
  db.pragma("synchronous = FULL");
  try {
    return db.transaction(() =>
      groups.map(({ first, then, rows }) => {
        const a = statement(first);
        const b = statement(then);
        return rows.map(([p, q]) => {
          const changed = a.run(...p).changes > 0;
          if (changed) b.run(...q);
          return changed;
        });
      }),
    )();
  } finally {
    db.pragma("synchronous = NORMAL");
  }
}

// The webhook batches waiting behind `m` on the port, taken now to share its commit; the first
// message of another kind stops the search and is handed back to run right after them, in order.
function queuedPairs(m) {
  const group = [m];
  for (;;) {
    const next = receiveMessageOnPort(parentPort);
    if (next === undefined) return { group, after: null };
    if (!next.message.pairs) return { group, after: next.message };
    group.push(next.message);
  }
}

function answerPairs(group) {
  try {
    if (failed) throw failed;
    const results = runPairs(group.map((m) => m.pairs));
    group.forEach((m, i) => parentPort.postMessage({ id: m.id, rows: results[i] }));
  } catch (err) {
    for (const m of group) parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
}

// Whether this connection can write now, waiting at most busyMs for the write lock (not the 10 s a
// webhook batch may wait): a file another process holds, one that cannot be written (read only,
// disk gone) or a full disk answers here with SQLite's reason. Taking the lock alone proves too
// little: a full disk fails only a commit's write (a rolled-back change never reaches the file), so
// the probe commits one: the header's user_version set to itself, one page into the WAL.
function probe(busyMs) {
  db.pragma(`busy_timeout = ${Number(busyMs)}`);
  try {
    db.exec("BEGIN IMMEDIATE");
    db.pragma(`user_version = ${Number(db.pragma("user_version", { simple: true }))}`);
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  return [];
}

// A Prisma interactive transaction keeps BEGIN open across messages: while it is, every other
// message waits here (in order) instead of running inside it, and runs once it ends.
let open = null;
const waiting = [];

async function prisma(m) {
  switch (m.prisma) {
    case "queryRaw":
      return (open ? open.tx : adapter).queryRaw(m.query);
    case "executeRaw":
      return (open ? open.tx : adapter).executeRaw(m.query);
    case "executeScript":
      return adapter.executeScript(m.script);
    case "begin": {
      const tx = await adapter.startTransaction(m.isolationLevel);
      open = { txId: m.txId, tx };
      return { options: tx.options };
    }
    case "commit":
    case "rollback": {
      const tx = open.tx;
      open = null;
      return m.prisma === "commit" ? tx.commit() : tx.rollback();
    }
  }
  throw new Error(`unknown Prisma call ${m.prisma}`);
}

async function handle(m) {
  try {
    if (failed) throw failed;
    const rows = m.prisma !== undefined ? await prisma(m) : m.probeMs !== undefined ? probe(m.probeMs) : m.list ? runAll(m.list) : run(m.sql, m.params);
    parentPort.postMessage({ id: m.id, rows });
  } catch (err) {
    // A Prisma driver error keeps its cause (the kind Prisma maps to P2002 and the like).
    const cause = err && err.name === "DriverAdapterError" ? err.cause : undefined;
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err), cause });
  }
}

async function dispatch(m) {
  if (open && m.txId !== open.txId) return void waiting.push(m);
  // Batches queued on the port join this one only when nothing held back waits before them.
  if (m.pairs && waiting.length === 0) {
    const { group, after } = queuedPairs(m);
    answerPairs(group);
    if (after) return dispatch(after);
  } else if (m.pairs) answerPairs([m]);
  else await handle(m);
  while (!open && waiting.length > 0) await dispatch(waiting.shift());
}

let chain = ready;
parentPort.on("message", (m) => {
  chain = chain.then(() => dispatch(m));
});
