// What the benchmark's parts share: the bench shop, its secrets, the order, the app's environment.
import fs from "node:fs";
import path from "node:path";

export const SECRET = "bench-shopify-secret";
export const SHOP = "bench-store.myshopify.com";
export const PAGE = "900800700600";
export const JOINCHAT_SECRET = "bench-joinchat-secret";
export const ENCRYPTION_KEY = "be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c";
/** The load generator's connections, for ingest and for the receipt runs. */
export const CONNECTIONS = 32;
const ROOT = path.resolve(__dirname, "..");
// The order as the bench shop's: the app refuses a body whose order_status_url names another shop than the header.
export const ORDER = fs.readFileSync(path.join(ROOT, "test/fixtures/shopify/orders-create.json"), "utf8").replace(/https:\/\/[a-z0-9-]+\.myshopify\.com\//g, `https://${SHOP}/`);

export const appEnv = (databaseUrl: string, role: string) => ({
  // What `npm start` sets (package.json): fewer glibc malloc arenas, about 30 MB less resident.
  MALLOC_ARENA_MAX: "2",
  DATABASE_URL: databaseUrl,
  ROLE: role,
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: SECRET,
  ENCRYPTION_KEY,
});
