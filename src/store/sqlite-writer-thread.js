// The SQLite writer thread (plain JavaScript: worker threads load it without a TypeScript loader).
// It owns a second connection to the database and runs the statements that carry whole webhook
// payloads, so their disk writes use the machine's other core instead of the HTTP event loop.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");

const db = new Database(workerData.file, { timeout: 10000 });
db.pragma("journal_mode = WAL");
// FULL: every commit here (a webhook batch, before its 200) reaches the disk, so a power cut
// cannot take back an acknowledged webhook that Shopify will not send again. One fsync per
// group-committed batch: ROLE=web within 3% of NORMAL in paired runs (bench/README.md).
db.pragma("synchronous = FULL");
const statements = new Map();

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

// Several statements come as one transaction: all of them commit, or none.
const runAll = db.transaction((list) => list.map((s) => run(s.sql, s.params)));

// Two one-row statements run for each pair of parameter lists, in one transaction: the second
// only if the first changed a row ("insert the event; if it was new, insert its payload").
// Returns whether each first did.
const runPairs = db.transaction(({ first, then, rows }) => {
  const a = statement(first);
  const b = statement(then);
  return rows.map(([p, q]) => {
    const changed = a.run(...p).changes > 0;
    if (changed) b.run(...q);
    return changed;
  });
});

parentPort.on("message", ({ id, sql, params, list, pairs }) => {
  try {
    parentPort.postMessage({ id, rows: pairs ? runPairs(pairs) : list ? runAll(list) : run(sql, params) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
