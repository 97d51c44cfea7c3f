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
    // NORMAL for the app's own state; a commit holding webhook batches switches to FULL (runGroup).
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

// What one plain message runs, inside the transaction of its group (see runGroup): a statement,
// a list of statements that commit together or not at all (one that must return a row and
// returns none undoes the list, with its reason as the error), or webhook pairs: two one-row
// statements for each pair of parameter lists, the second only if the first changed a row
// ("insert the event; if it was new, insert its payload"), answered with whether each first did.
function runOne(m) {
  if (m.pairs) {
    const { first, then, rows } = m.pairs;
    const a = statement(first);
    const b = statement(then);
    return rows.map(([p, q]) => {
      const changed = a.run(...p).changes > 0;
      if (changed) b.run(...q);
      return changed;
    });
  }
  if (m.list)
    return m.list.map((s) => {
      const rows = run(s.sql, s.params);
      if (s.mustReturn && rows.length === 0) throw new Error(s.mustReturn);
      return rows;
    });
  return run(m.sql, m.params);
}

const errorOf = (err) => String((err && err.message) || err);

// Plain messages (statements, lists, webhook pairs) that queued here while the previous commit
// ran share one transaction: one commit, and one fsync, for all of them, where each paid its own
// (a message a delivery sent, a claim, a pass's outcomes, webhook batches). Each runs in a
// savepoint of its own, so one the database refuses is undone and answered with its error alone,
// as if it had run by itself; the others commit. Every message is answered only once the commit
// holding it is done. FULL when webhook pairs are among them: that commit (a webhook batch, before
// its 200) reaches the disk, so a power cut cannot take back an acknowledged webhook that Shopify
// will not send again; the app's own state is NORMAL (durable across a process crash; a power cut
// may take back the last commits: a message marked sent may go again, nothing is lost). One fsync
// per commit: ROLE=web within 3% of NORMAL in paired runs (bench/README.md).
function runGroup(group) {
  const full = group.some((m) => m.pairs);
  const answers = [];
  if (full) db.pragma("synchronous = FULL");
  try {
    db.exec("BEGIN");
    for (const m of group) {
      db.exec("SAVEPOINT message");
      try {
        answers.push({ id: m.id, rows: runOne(m) });
        db.exec("RELEASE message");
      } catch (err) {
        // An error that ended the whole transaction (SQLite rolls back on some: a full disk) fails
        // every message of the group: nothing of theirs was written.
        if (!db.inTransaction) throw err;
        db.exec("ROLLBACK TO message");
        db.exec("RELEASE message");
        answers.push({ id: m.id, error: errorOf(err) });
      }
    }
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    return group.map((m) => ({ id: m.id, error: errorOf(err) }));
  } finally {
    if (full) db.pragma("synchronous = NORMAL");
  }
  return answers;
}

const isPlain = (m) => m.prisma === undefined && m.probeMs === undefined;

// The plain messages waiting behind `m` on the port, taken now to share its commit; the first
// message of another kind (Prisma's, a probe) stops the search and is handed back to run right
// after them, in order.
function queuedPlain(m) {
  const group = [m];
  for (;;) {
    const next = receiveMessageOnPort(parentPort);
    if (next === undefined) return { group, after: null };
    if (!isPlain(next.message)) return { group, after: next.message };
    group.push(next.message);
  }
}

function answerGroup(group) {
  const answers = failed ? group.map((m) => ({ id: m.id, error: errorOf(failed) })) : runGroup(group);
  for (const a of answers) parentPort.postMessage(a);
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
    const rows = m.prisma !== undefined ? await prisma(m) : probe(m.probeMs);
    parentPort.postMessage({ id: m.id, rows });
  } catch (err) {
    // A Prisma driver error keeps its cause (the kind Prisma maps to P2002 and the like).
    const cause = err && err.name === "DriverAdapterError" ? err.cause : undefined;
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err), cause });
  }
}

async function dispatch(m) {
  if (open && m.txId !== open.txId) return void waiting.push(m);
  // Messages queued on the port join this one only when nothing held back waits before them.
  if (isPlain(m) && waiting.length === 0) {
    const { group, after } = queuedPlain(m);
    answerGroup(group);
    if (after) return dispatch(after);
  } else if (isPlain(m)) answerGroup([m]);
  else await handle(m);
  while (!open && waiting.length > 0) await dispatch(waiting.shift());
}

let chain = ready;
parentPort.on("message", (m) => {
  chain = chain.then(() => dispatch(m));
});
