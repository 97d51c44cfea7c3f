import { spawn } from "node:child_process";
import { exited, freePort, waitUntilHealthy } from "../helpers/processes";
import { freshSqliteUrl } from "../helpers/db";

describe("npm start", () => {
  it("stops the app when its own PID is sent SIGTERM (a process manager's stop): the signal reaches the app, which shuts down", async () => {
    const port = await freePort();
    const npm = spawn("npm", ["start"], {
      env: { PATH: process.env.PATH, PORT: String(port), DATABASE_URL: freshSqliteUrl(), LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    npm.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    npm.stderr!.on("data", () => {});
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilHealthy(url);
      npm.kill("SIGTERM");
      // npm exits once the app has: an app left running would hold npm's output pipes open.
      await Promise.race([exited(npm), new Promise((r) => setTimeout(r, 20_000))]);
      expect(out).toContain('"signal":"SIGTERM"');
      // Nothing answers on the port any more: no app left running behind npm.
      const answer = await fetch(`${url}/healthz`).then(
        (r) => r.status,
        () => "refused",
      );
      expect(answer).toBe("refused");
    } finally {
      if (npm.exitCode === null) npm.kill("SIGKILL");
    }
  }, 90_000);
});
