import { execFile } from "node:child_process";

describe("npm run demo", () => {
  it("runs the whole pipeline alone and ends with a passing summary", async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, ["--import", "tsx", "src/demo/main.ts"], { env: { PATH: process.env.PATH }, timeout: 60_000 }, (err, stdout) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
      ),
    );
    expect(stdout).toMatch(/demo passed: 4 automations, 4 messages sent, 0 failed, 4 received by JoinChat/);
    // Every one went inside the customer's 24-hour window: untagged, and the table says so.
    for (const line of [/welcome\s+button\s+\(none\)/, /abandoned\s+generic\s+\(none\)/, /receipt\s+receipt\s+\(none\)/, /shipping\s+button\s+\(none\)/])
      expect(stdout).toMatch(line);
    expect(code).toBe(0);
  });
});
