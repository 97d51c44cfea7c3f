const Database = require("better-sqlite3");
const fs = require("fs");
const payload = Buffer.from(JSON.stringify(JSON.parse(fs.readFileSync("test/fixtures/shopify/orders-create.json", "utf8"))));
const variants = process.argv.slice(2).map(Number);
for (const ps of variants) {
  const file = `/tmp/prof/wp-${Date.now()}-${ps}.db`;
  const db = new Database(file); db.pragma(`page_size = ${ps}`); db.pragma("journal_mode = WAL"); db.pragma("synchronous = NORMAL"); db.pragma(`wal_autocheckpoint = ${Math.round(1000 * 4096 / ps)}`);
  db.exec(`CREATE TABLE e (id TEXT PRIMARY KEY, shop TEXT, k TEXT, state TEXT, at TEXT); CREATE UNIQUE INDEX ek ON e(shop, k); CREATE INDEX es ON e(state, at); CREATE TABLE p (id TEXT PRIMARY KEY, payload TEXT NOT NULL)`);
  const st = db.prepare("INSERT INTO p VALUES (?, CAST(? AS TEXT))"); const se = db.prepare("INSERT INTO e VALUES (?, 'shop', ?, 'received', ?)");
  const tx = db.transaction((a, b) => { for (let i = a; i < b; i++) { const id = String(1e9 + i); se.run(id, "k" + i, new Date().toISOString()); st.run(id, payload); } });
  const N = 30000; const c0 = process.cpuUsage(); const t = process.hrtime.bigint(); for (let i = 0; i < N; i += 12) tx(i, i + 12);
  const c = process.cpuUsage(c0);
  console.log("page", ps, "wall us/ev", (Number(process.hrtime.bigint() - t) / 1000 / N).toFixed(1), "user", (c.user / N).toFixed(1), "sys", (c.system / N).toFixed(1), "MB", (fs.statSync(file).size/1048576).toFixed(0));
  db.close(); for (const f of [file, file + "-wal", file + "-shm"]) fs.rmSync(f, { force: true });
}
