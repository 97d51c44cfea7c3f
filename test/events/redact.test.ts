import fs from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
import { harnessPerTest } from "../helpers/app";
import { describePostgres, freshPostgresUrl } from "../helpers/db";
import { SHOP } from "../helpers/deliveries";
import { configureShop, drain } from "../helpers/shop";
import { editFixture, fixture, postWebhook } from "../helpers/webhooks";
import { sqliteFileOf } from "../../src/config/database-url";

const CUSTOMER = "8658316394796";
const ORDER = "6198432301356";
const EMAIL = "alan@example.com";
const PHONE = "+85200000000";
const FIRST = "Alan";
const LAST = "Quarrington";

/** A street only a customers/update names: where it is found, that body was kept. */
const NEW_STREET = "12 Quarrington Lane";

/** Alan's customers/update, as a leftover subscription delivers it: the whole customer, a new address. */
const customerUpdate = () =>
  editFixture("customers-create.json", (c) => {
    Object.assign(c, { last_name: LAST });
    Object.assign(c.default_address, { last_name: LAST, name: `${FIRST} ${LAST}`, address1: NEW_STREET });
    c.addresses = [c.default_address];
  });

const redactRequest = () => JSON.stringify({ shop_domain: SHOP, customer: { id: Number(CUSTOMER), email: EMAIL, phone: PHONE }, orders_to_redact: [Number(ORDER)] });

/** The fixtures' customer Alan, given a last name to look for. */
const named = (o: any) => {
  if (o.customer) Object.assign(o.customer, { last_name: LAST });
  for (const a of [o.billing_address, o.shipping_address]) if (a) Object.assign(a, { name: `${FIRST} ${LAST}`, last_name: LAST });
};

/** Every row of every table of the SQLite file, as text: where a trace would be. */
async function everySqliteValue(databaseUrl: string): Promise<string> {
  const db = new BetterSqlite3(sqliteFileOf(databaseUrl), { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join("\n");
  } finally {
    db.close();
  }
}

/** The same on PostgreSQL: every row of every table of the app's schema. */
async function everyPostgresValue(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows as { table_name: string }[];
    const dumps = await Promise.all(tables.map(async ({ table_name }) => JSON.stringify((await client.query(`SELECT row_to_json(t) AS r FROM "${table_name}" t`)).rows)));
    return dumps.join("\n");
  } finally {
    await client.end();
  }
}

describe("customers/redact removes every trace of the customer, SQLite", () => redactCases(async () => ({}), everySqliteValue));
describePostgres("customers/redact removes every trace of the customer, PostgreSQL", () =>
  redactCases(async () => ({ DATABASE_URL: await freshPostgresUrl() }), everyPostgresValue),
);

function redactCases(database: () => Promise<Record<string, string>>, dump: (databaseUrl: string) => Promise<string>) {
  const h = harnessPerTest(database, { background: false }, (h) => configureShop(h, { settings: { recipientOptIn: { email: true, phone: false } } }));
  const everyValue = () => dump(h.app.ctx.config.DATABASE_URL);

  it("deletes their orders, guest checkouts, fulfillments, unprocessed events, links, messages and reports; no table holds their email, phone or name; nothing more is sent to them", async () => {
    const links = h.app.ctx.links;
    await links.link(SHOP, "uuid-one", { customerId: CUSTOMER }, new Date());
    await links.link(SHOP, "uuid-guest", {}, new Date());
    await links.link(SHOP, "uuid-other", { customerId: "42" }, new Date());
    // Their signup, their order, a fulfillment of it, a guest checkout with only their email and
    // phone (by the cart attribute's uuid), a data request, and another customer's order.
    await postWebhook(
      h.url,
      editFixture("customers-create.json", (c) => Object.assign(c, { last_name: LAST })),
      { topic: "customers/create" },
    );
    await postWebhook(h.url, editFixture("orders-create.json", named), { topic: "orders/create" });
    const fulfillment = {
      id: 4451,
      order_id: Number(ORDER),
      status: "success",
      tracking_number: "1Z999",
      tracking_url: "https://track.example/1Z999",
      destination: { name: `${FIRST} ${LAST}`, phone: PHONE },
      email: EMAIL,
    };
    await postWebhook(h.url, JSON.stringify(fulfillment), { topic: "fulfillments/create" });
    const guest = editFixture("checkouts-create.json", (c) => {
      named(c);
      Object.assign(c, { customer: null, email: EMAIL, phone: PHONE, token: "guest-token", note_attributes: [{ name: "joinchat_uuid", value: "uuid-guest" }] });
      c.billing_address.name = c.shipping_address.name = `${FIRST} ${LAST}`;
    });
    await postWebhook(h.url, guest, { topic: "checkouts/create" });
    await postWebhook(h.url, JSON.stringify({ customer: { id: Number(CUSTOMER), email: EMAIL, phone: PHONE }, orders_requested: [Number(ORDER)] }), {
      topic: "customers/data_request",
    });
    await postWebhook(h.url, fixture("orders-create-2.json"), { topic: "orders/create" });
    await drain(h);
    const sentBefore = h.standIn.messages.length;
    expect(sentBefore).toBeGreaterThanOrEqual(3);
    expect(await h.app.ctx.db.delivery.count({ where: { state: "scheduled" } })).toBeGreaterThan(0);
    const before = await everyValue();
    for (const trace of [EMAIL, LAST]) expect(before).toContain(trace);

    // The redact request, then (before it is worked) another order of theirs: not yet processed when the redaction runs.
    await postWebhook(h.url, redactRequest(), { topic: "customers/redact" });
    await postWebhook(
      h.url,
      editFixture("orders-create.json", (o) => {
        named(o);
        o.id = 6198432309999;
        o.name = "#1099";
      }),
      { topic: "orders/create" },
    );
    await drain(h);

    const all = await everyValue();
    for (const trace of [EMAIL, PHONE, PHONE.slice(1), LAST, `"${FIRST}`, ` ${FIRST}`]) expect(all).not.toContain(trace);
    expect(h.standIn.messages.length).toBe(sentBefore);
    expect(await h.app.ctx.db.delivery.count({ where: { state: "scheduled" } })).toBe(0);
    // Only what is not theirs stays: the other customer's link and order, and the redact request, emptied.
    expect((await h.app.ctx.db.recipientLink.findMany()).map((l) => l.uuid)).toEqual(["uuid-other"]);
    const events = await h.app.ctx.db.webhookEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => e.topic)).toEqual(["orders/create", "customers/redact"]);
    expect((await h.app.ctx.db.webhookPayload.findUnique({ where: { eventId: events[1]!.id } }))!.payload).toBe("{}");
  });

  it("a customers/update delivered before (a topic the app does not handle) is acknowledged and recorded without its body: after the redaction no table holds their email, phone or name", async () => {
    await postWebhook(
      h.url,
      editFixture("customers-create.json", (c) => Object.assign(c, { last_name: LAST })),
      { topic: "customers/create" },
    );
    const res = await postWebhook(h.url, customerUpdate(), { topic: "customers/update" });
    expect(res.status).toBe(200);
    await drain(h);
    const update = await h.app.ctx.db.webhookEvent.findFirstOrThrow({ where: { topic: "customers/update" } });
    expect(update).toMatchObject({ state: "skipped", note: "topic not handled by the app" });
    expect(await h.app.ctx.db.webhookPayload.findUnique({ where: { eventId: update.id } })).toBeNull();
    const before = await everyValue();
    expect(before).toContain(EMAIL);
    expect(before).not.toContain(NEW_STREET);

    await postWebhook(h.url, redactRequest(), { topic: "customers/redact" });
    await drain(h);
    const all = await everyValue();
    for (const trace of [EMAIL, PHONE, PHONE.slice(1), LAST, `"${FIRST}`, ` ${FIRST}`, NEW_STREET]) expect(all).not.toContain(trace);
  });
}

describe("customers/redact leaves nothing of the customer in the SQLite file's bytes", () => {
  const h = harnessPerTest({}, { background: false }, configureShop);
  /** The database file and its WAL, once the WAL is checkpointed into the file and emptied. */
  const fileBytes = async () => {
    const [checkpoint] = await h.app.ctx.database.write<{ busy: number }>("PRAGMA wal_checkpoint(TRUNCATE)", []);
    expect(checkpoint!.busy).toBe(0);
    const file = sqliteFileOf(h.app.ctx.config.DATABASE_URL);
    return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  };

  it("deleted rows are overwritten (secure_delete), not left readable in free pages", async () => {
    await h.app.ctx.links.link(SHOP, "uuid-one", { customerId: CUSTOMER, email: EMAIL, phone: PHONE }, new Date());
    await postWebhook(
      h.url,
      editFixture("customers-create.json", (c) => Object.assign(c, { last_name: LAST })),
      { topic: "customers/create" },
    );
    await postWebhook(h.url, editFixture("orders-create.json", named), { topic: "orders/create" });
    await postWebhook(h.url, customerUpdate(), { topic: "customers/update" });
    await drain(h);
    const before = await fileBytes();
    for (const trace of [EMAIL, LAST]) expect(before.includes(trace)).toBe(true);

    await postWebhook(h.url, redactRequest(), { topic: "customers/redact" });
    await drain(h);
    const after = await fileBytes();
    for (const trace of [EMAIL, PHONE, LAST, NEW_STREET]) expect(after.includes(trace)).toBe(false);
  });
});
