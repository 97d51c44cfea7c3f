import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import { describePostgres } from "../helpers/db";

/**
 * The migration that moves webhook payloads to their own table keeps every stored payload: the
 * migrations are applied in order as SQL, with an event stored just before the move.
 */
const MOVE = "20261125130000_webhook_payloads";
const migrations = (provider: string) =>
  fs
    .readdirSync(path.join("prisma", provider, "migrations"))
    .filter((n) => !n.endsWith(".toml"))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join("prisma", provider, "migrations", name, "migration.sql"), "utf8") }));
const PAYLOAD = '{"id": 12345678901234567890, "note": "kept"}';

describe("moving webhook payloads to WebhookPayload", () => {
  it("keeps a stored event's payload on SQLite", () => {
    const db = new Database(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jc-mig-")), "m.db"));
    for (const m of migrations("sqlite")) {
      if (m.name === MOVE)
        db.prepare(`INSERT INTO "WebhookEvent" ("id", "shopDomain", "topic", "eventKey", "payload") VALUES ('e1', 's.myshopify.com', 'orders/create', 'k1', ?)`).run(PAYLOAD);
      db.exec(m.sql);
    }
    expect(db.prepare(`SELECT "eventId", "payload" FROM "WebhookPayload"`).all()).toEqual([{ eventId: "e1", payload: PAYLOAD }]);
    expect(db.prepare(`SELECT "id", "state" FROM "WebhookEvent"`).all()).toEqual([{ id: "e1", state: "received" }]);
    db.close();
  });
});

describe("dropping the bodies of events skipped on arrival", () => {
  it("deletes the payload of an event an older version kept as skipped on arrival, and only that one", () => {
    const db = new Database(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jc-mig-")), "m.db"));
    for (const m of migrations("sqlite")) {
      if (m.name === "20261206140000_skipped_payloads") {
        const event = db.prepare(`INSERT INTO "WebhookEvent" ("id", "shopDomain", "topic", "eventKey", "state", "processedAt") VALUES (?, 's.myshopify.com', ?, ?, ?, ?)`);
        event.run("unhandled", "customers/update", "k1", "skipped", null);
        event.run("handled", "orders/create", "k2", "skipped", "2026-12-01T00:00:00.000+00:00");
        event.run("waiting", "orders/create", "k3", "received", null);
        for (const id of ["unhandled", "handled", "waiting"]) db.prepare(`INSERT INTO "WebhookPayload" ("eventId", "payload") VALUES (?, ?)`).run(id, PAYLOAD);
      }
      db.exec(m.sql);
    }
    expect(db.prepare(`SELECT "eventId" FROM "WebhookPayload" ORDER BY "eventId"`).all()).toEqual([{ eventId: "handled" }, { eventId: "waiting" }]);
    expect(db.prepare(`SELECT count(*) AS n FROM "WebhookEvent"`).get()).toEqual({ n: 3 });
    db.close();
  });
});

describePostgres("moving webhook payloads to WebhookPayload on PostgreSQL", () => {
  it("keeps a stored event's payload", async () => {
    const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL!;
    const name = `jc_mig_${crypto.randomBytes(4).toString("hex")}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    try {
      for (const m of migrations("postgresql")) {
        if (m.name === MOVE)
          await db.query(`INSERT INTO "WebhookEvent" ("id", "shopDomain", "topic", "eventKey", "payload") VALUES ('e1', 's.myshopify.com', 'orders/create', 'k1', $1)`, [PAYLOAD]);
        await db.query(m.sql);
      }
      expect((await db.query(`SELECT "eventId", "payload" FROM "WebhookPayload"`)).rows).toEqual([{ eventId: "e1", payload: PAYLOAD }]);
    } finally {
      await db.end();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
