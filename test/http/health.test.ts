import { startHarness, type Harness } from "../helpers/app";

describe("GET /healthz", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("answers with the database up over real HTTP", async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: "up" });
  });

  it("answers 404 as JSON for an unknown route", async () => {
    const res = await fetch(`${h.url}/nowhere`);
    expect(res.status).toBe(404);
  });
});
