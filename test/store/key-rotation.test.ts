import { Session } from "@shopify/shopify-api";
import { describePostgres, freshPostgresUrl, freshSqliteUrl } from "../helpers/db";
import { openDatabase, type Database } from "../../src/store/db";
import { rotateEncryptionKey } from "../../src/store/key-rotation";
import { decryptSecret, EncryptionKeyError } from "../../src/store/secrets";
import { SessionStore } from "../../src/store/sessions";
import { ShopStore } from "../../src/store/shops";

const OLD_KEY = "a1".repeat(32);
const NEW_KEY = "b2".repeat(32);
const SHOPS = ["one.myshopify.com", "two.myshopify.com", "three.myshopify.com"];
const secretOf = (shop: string) => `joinchat-secret-of-${shop}`;

/** Three shops with JoinChat secrets, two sealed sessions (one with a refresh token) and one an older version stored in clear, all under OLD_KEY. */
async function seed(database: Database): Promise<void> {
  const shops = new ShopStore(database.db, OLD_KEY);
  for (const shop of SHOPS) await shops.upsert(shop, { pageId: "1", joinchatSecret: secretOf(shop) });
  const sessions = new SessionStore(database.db, OLD_KEY);
  await sessions.store(
    new Session({
      id: `offline_${SHOPS[0]}`,
      shop: SHOPS[0]!,
      state: "s",
      isOnline: false,
      accessToken: "shpat_one",
      refreshToken: "shprt_one",
      expires: new Date(Date.now() + 3_600_000),
    }),
  );
  await sessions.store(new Session({ id: `offline_${SHOPS[1]}`, shop: SHOPS[1]!, state: "s", isOnline: false, accessToken: "shpat_two" }));
  await database.db.session.create({ data: { id: `offline_${SHOPS[2]}`, shop: SHOPS[2]!, state: "s", isOnline: false, accessToken: "shpat_clear" } });
}

/** Every sealed value in the database, with the keys that open it. */
async function sealedValues(database: Database): Promise<{ where: string; openedBy: string[] }[]> {
  const openedBy = (v: string) =>
    [OLD_KEY, NEW_KEY].filter((k) => {
      try {
        decryptSecret(v, k);
        return true;
      } catch (err) {
        if (err instanceof EncryptionKeyError) return false;
        throw err;
      }
    });
  const shops = await database.db.shop.findMany({ select: { domain: true, joinchatSecretEnc: true } });
  const sessions = await database.db.session.findMany({ select: { id: true, accessToken: true, refreshToken: true } });
  return [
    ...shops.map((s) => ({ where: s.domain, openedBy: openedBy(s.joinchatSecretEnc!) })),
    ...sessions.flatMap((s) => [s.accessToken, s.refreshToken].filter((v): v is string => v !== null && v.startsWith("v1.")).map((v) => ({ where: s.id, openedBy: openedBy(v) }))),
  ];
}

/** Every secret and token read back through the stores with `key`. */
async function readAll(database: Database, key: string): Promise<string[]> {
  const shops = new ShopStore(database.db, key);
  const sessions = new SessionStore(database.db, key);
  const out: string[] = [];
  for (const shop of SHOPS) out.push((await shops.joinchatSecret(shop))!);
  for (const shop of SHOPS) {
    const s = (await sessions.offline(shop))!;
    out.push(s.accessToken!, ...(s.refreshToken ? [s.refreshToken] : []));
  }
  return out;
}

class Crash extends Error {}

function rotationCases(url: () => Promise<string>): void {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase(await url());
    await seed(database);
  });
  afterEach(() => database.close());

  it("re-seals every secret and token with the new key: each reads back with it, the old key is refused", async () => {
    const report = await rotateEncryptionKey(database.db, OLD_KEY, NEW_KEY);
    expect(report).toEqual({ resealed: 5, alreadyNew: 0, sealedFromClear: 1, unreadable: [], changedMeanwhile: 0 });
    expect(await readAll(database, NEW_KEY)).toEqual([...SHOPS.map(secretOf), "shpat_one", "shprt_one", "shpat_two", "shpat_clear"]);
    for (const v of await sealedValues(database)) expect(v.openedBy).toEqual([NEW_KEY]);
    // The token stored in clear is sealed now.
    expect((await sealedValues(database)).filter((v) => v.where === `offline_${SHOPS[2]}`)).toHaveLength(1);
    // The old key opens nothing: the app's start-up check refuses it, and a read through the store throws.
    expect(await new ShopStore(database.db, OLD_KEY).secretsUnreadable()).toEqual({ stored: 3, unreadable: 3 });
    expect(await new ShopStore(database.db, NEW_KEY).secretsUnreadable()).toEqual({ stored: 3, unreadable: 0 });
    await expect(new SessionStore(database.db, OLD_KEY).offline(SHOPS[0]!)).rejects.toThrow(EncryptionKeyError);
  });

  it("stopped halfway (a crash after the third row), leaves each row readable with one key or the other; run again, it finishes", async () => {
    await expect(
      rotateEncryptionKey(database.db, OLD_KEY, NEW_KEY, (done) => {
        if (done === 3) throw new Crash("killed");
      }),
    ).rejects.toThrow(Crash);
    const halfway = await sealedValues(database);
    for (const v of halfway) expect(v.openedBy).toHaveLength(1);
    expect(halfway.filter((v) => v.openedBy[0] === NEW_KEY).length).toBe(3);
    expect(halfway.filter((v) => v.openedBy[0] === OLD_KEY).length).toBe(3);

    const rerun = await rotateEncryptionKey(database.db, OLD_KEY, NEW_KEY);
    expect(rerun).toEqual({ resealed: 2, alreadyNew: 3, sealedFromClear: 1, unreadable: [], changedMeanwhile: 0 });
    for (const v of await sealedValues(database)) expect(v.openedBy).toEqual([NEW_KEY]);
    expect(await readAll(database, NEW_KEY)).toEqual([...SHOPS.map(secretOf), "shpat_one", "shprt_one", "shpat_two", "shpat_clear"]);
    // A third run has nothing left to do.
    expect(await rotateEncryptionKey(database.db, OLD_KEY, NEW_KEY)).toMatchObject({ resealed: 0, alreadyNew: 6, sealedFromClear: 0 });
  });

  it("names a row neither key opens and leaves it as it is, re-sealing the rest", async () => {
    await new ShopStore(database.db, "c3".repeat(32)).upsert("other.myshopify.com", { pageId: "1", joinchatSecret: "sealed-with-a-third-key" });
    const before = (await database.db.shop.findUnique({ where: { domain: "other.myshopify.com" } }))!.joinchatSecretEnc;
    const report = await rotateEncryptionKey(database.db, OLD_KEY, NEW_KEY);
    expect(report.unreadable).toEqual([{ table: "Shop", id: "other.myshopify.com" }]);
    expect(report.resealed).toBe(5);
    expect((await database.db.shop.findUnique({ where: { domain: "other.myshopify.com" } }))!.joinchatSecretEnc).toBe(before);
  });
}

describe("keys:rotate's rotation, SQLite", () => rotationCases(async () => freshSqliteUrl()));
describePostgres("keys:rotate's rotation, PostgreSQL", () => rotationCases(freshPostgresUrl));
