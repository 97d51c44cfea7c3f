import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

describe("Prisma schemas", () => {
  it("each provider's schema.prisma is written from prisma/models.prisma and current", () => {
    expect(() => execFileSync(process.execPath, ["scripts/prisma-schemas.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("both providers have the same migrations, by name", () => {
    const names = (p: string) => fs.readdirSync(path.join("prisma", p, "migrations")).filter((n) => !n.endsWith(".toml"));
    expect(names("postgresql")).toEqual(names("sqlite"));
  });
});
