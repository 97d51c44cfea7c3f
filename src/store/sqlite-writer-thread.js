// The SQLite writer thread (plain JavaScript: worker threads load it without a TypeScript loader).
// It owns a second connection to the database and runs the statements that carry whole webhook
// payloads, so their disk writes use the machine's other core instead of the HTTP event loop.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");

const db = new Database(workerData.file, { timeout: 10000 });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const statements = new Map();

function run(sql, params) {
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (statements.size < 200) statements.set(sql, stmt);
  }
  return stmt.reader ? stmt.all(...params) : (stmt.run(...params), []);
}

// Several statements come as one transaction: all of them commit, or none.
const runAll = db.transaction((list) => list.map((s) => run(s.sql, s.params)));

parentPort.on("message", ({ id, sql, params, list }) => {
  try {
    parentPort.postMessage({ id, rows: list ? runAll(list) : run(sql, params) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
