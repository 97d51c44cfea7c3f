// `npm run demo`: the whole pipeline on this machine alone. A temporary SQLite database, the
// local JoinChat stand-in, a demo shop, a customer linked through the real app-proxy route, then
// a signup, an abandoned checkout, an order and a fulfillment as signed webhooks; it waits for
// the messages, prints what was sent and exits 0 (1 if anything is missing).
import { signSessionToken } from "../shopify/session-token";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "lossless-json";
import { loadConfig } from "../config/env";
import { createLogger } from "../log";
import { startApp } from "../server";
import { JoinChatStandIn } from "../standin/server";

const SHOP = "demo-store.myshopify.com";
const PAGE = "100200300400";
const JOINCHAT_SECRET = "demo-joinchat-secret";
const SHOPIFY_SECRET = "demo-shopify-secret";
const CUSTOMER_ID = "8658316394796";
const UUID = "demo-visitor-uuid-1";
const FIXTURES = path.resolve(__dirname, "../../test/fixtures/shopify");
const tty = process.stdout.isTTY;

const step = (text: string) => console.log(`${tty ? "\x1b[36m▸\x1b[0m" : ">"} ${text}`);
const done = (text: string) => console.log(`  ${tty ? "\x1b[32m✓\x1b[0m" : "ok"} ${text}`);

function signedWebhook(url: string, topic: string, body: string) {
  const hmac = crypto.createHmac("sha256", SHOPIFY_SECRET).update(body).digest("base64");
  return fetch(`${url}/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": SHOP,
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-event-id": crypto.randomUUID(),
      "x-shopify-webhook-id": crypto.randomUUID(),
      "x-shopify-api-version": "2026-10",
    },
    body,
  });
}

/** A sample payload edited for the demo, numbers kept exact (ids beyond 2^53 included). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a payload of any topic, edited in place
function sample(name: string, edit: (p: any) => void = () => {}): string {
  const payload = parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
  edit(payload);
  return stringify(payload)!;
}

/** The app-proxy signature Shopify adds: sorted key=value pairs, joined, HMAC-SHA256 hex. */
function proxyQuery(params: Record<string, string>): string {
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("");
  const signature = crypto.createHmac("sha256", SHOPIFY_SECRET).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature }).toString();
}

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "joinchat-demo-"));
  const databaseUrl = `file:${path.join(dir, "demo.db")}`;
  step("Preparing a temporary SQLite database");
  execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/migrate.mjs")], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });
  done(databaseUrl);

  step("Starting the local JoinChat stand-in");
  const standIn = new JoinChatStandIn({ [PAGE]: JOINCHAT_SECRET });
  const apiUrl = await standIn.listen();
  done(apiUrl);

  step("Starting the app (HTTP server, event processor, delivery worker)");
  const config = loadConfig({
    PORT: "0",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "demo-api-key",
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    SHOPIFY_APP_URL: "https://demo-app.example.com",
    JOINCHAT_API_URL: apiUrl,
    ENCRYPTION_KEY: crypto.randomBytes(32).toString("hex"),
    JOINCHAT_RETRY_BASE_MS: "200",
    LOG_LEVEL: "silent",
  });
  const app = await startApp(config, { log: createLogger("silent") });
  const url = app.url!;
  done(url);

  try {
    step(`Configuring ${SHOP} (page ${PAGE}, coupon WELCOME10, recall 3 s after the checkout)`);
    await app.ctx.shops.upsert(SHOP, { pageId: PAGE, joinchatSecret: JOINCHAT_SECRET, couponCode: "WELCOME10", abandonedDelaysMinutes: [0.05] });
    done("JoinChat secret stored encrypted");

    step("Linking the visitor's JoinChat uuid through the app proxy (as the storefront script does)");
    const query = proxyQuery({ shop: SHOP, logged_in_customer_id: CUSTOMER_ID, path_prefix: "/apps/joinchat", timestamp: String(Math.floor(Date.now() / 1000)) });
    const linked = await fetch(`${url}/proxy/link?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ uuid: UUID }) });
    if (!linked.ok) throw new Error(`app proxy answered ${linked.status}: ${await linked.text()}`);
    done(`uuid ${UUID} linked to customer ${CUSTOMER_ID}`);

    const events: [string, string, string][] = [
      ["customers/create", "signup", sample("customers-create.json")],
      ["checkouts/create", "abandoned checkout", sample("checkouts-create.json", (c) => ((c.customer.id = CUSTOMER_ID), (c.customer.first_name = "Alan")))],
    ];
    for (const [topic, what, body] of events) {
      step(`Shopify sends ${topic} (${what})`);
      const res = await signedWebhook(url, topic, body);
      done(`acknowledged ${res.status}`);
    }
    await waitFor(standIn, 2, "welcome coupon and checkout recall");
    const order = sample("orders-create.json", (o) => (o.checkout_token = "123123123"));
    const fulfillment = JSON.stringify({
      id: 4075788173396,
      order_id: 6198432301356,
      status: "success",
      tracking_company: "SF Express",
      email: "alan@example.com",
      tracking_number: "SF1234567890",
      tracking_url: "https://www.sf-express.com/track?no=SF1234567890",
      name: "#1054.1",
      line_items: [],
    });
    for (const [topic, what, body] of [
      ["orders/create", "order #1054", order],
      ["fulfillments/create", "shipment", fulfillment],
    ] as const) {
      step(`Shopify sends ${topic} (${what})`);
      const res = await signedWebhook(url, topic, body);
      done(`acknowledged ${res.status}`);
    }
    await waitFor(standIn, 4, "receipt and shipping notice");

    const rows = await app.ctx.db.delivery.findMany({ orderBy: { createdAt: "asc" } });
    console.log("\nMessages sent to JoinChat (signed, verified by the stand-in):\n");
    const widths = [11, 9, 16, 20, 6];
    const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
    console.log(row(["automation", "template", "tag", "recipient", "state"]));
    for (const r of rows) {
      const m = JSON.parse(r.message) as { template_type: string };
      console.log(row([r.automation, m.template_type, r.tag ?? "(none)", String(Object.values(JSON.parse(r.recipient))[0]), r.state]));
    }
    const sent = rows.filter((r) => r.state === "sent").length;
    const failed = rows.filter((r) => r.state === "failed").length;
    const ok = sent === 4 && standIn.messages.length === 4;
    console.log(
      `\ndemo ${ok ? "passed" : "FAILED"}: ${new Set(rows.map((r) => r.automation)).size} automations, ${sent} messages sent, ${failed} failed, ${standIn.messages.length} received by JoinChat`,
    );
    if (process.argv.includes("--keep")) {
      // The demo shop's admin, with the messages above in its log, until Ctrl-C.
      console.log(`\nMerchant admin of the demo shop: ${app.url}/admin?token=${signSessionToken(config, SHOP, 8 * 3600)}\nPress Ctrl-C to stop.`);
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    }
    return ok ? 0 : 1;
  } finally {
    await app.stop();
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(standIn: JoinChatStandIn, n: number, what: string): Promise<void> {
  step(`Waiting for the ${what}`);
  const until = Date.now() + 30_000;
  while (standIn.messages.length < n && Date.now() < until) {
    if (tty) process.stdout.write(`\r  … ${standIn.messages.length}/${n} messages received`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (tty) process.stdout.write("\r\x1b[K");
  if (standIn.messages.length < n) throw new Error(`only ${standIn.messages.length} of ${n} messages arrived within 30 s`);
  done(`${n} messages received so far`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
