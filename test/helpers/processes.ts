import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { waitFor } from "./deliveries";

/** The V8 flags `npm start` gives the app (package.json's config.node_flags). */
const NODE_FLAGS = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { config: { node_flags: string } }).config.node_flags.split(/\s+/).filter(Boolean);

/**
 * Starts the app as `npm start` runs it, with its V8 flags (without migrations: the test database
 * is migrated; from the sources, through tsx), in a child process; `fileSizeLimitKb` caps the size
 * of every file it writes (`ulimit -f`), a full disk; `uid` runs it as another user (root may
 * write any file, whatever its mode).
 */
export function startAppProcess(env: Record<string, string>, o: { fileSizeLimitKb?: number; uid?: number } = {}): ChildProcess {
  const node = [process.execPath, ...NODE_FLAGS, "--import", "tsx", "src/main.ts"];
  const [command, ...args] = o.fileSizeLimitKb === undefined ? node : ["bash", "-c", `ulimit -f ${o.fileSizeLimitKb}; exec "$0" "$@"`, ...node];
  const child = spawn(command!, args, {
    ...(o.uid === undefined ? {} : { uid: o.uid, gid: o.uid }),
    env: { PATH: process.env.PATH, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", () => {});
  child.stderr!.on("data", () => {});
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Waits until the app at `url` answers /healthz with 200 (a refused connection counts as not yet); throws if it does not in time (generous: the app starts from its sources through tsx, slow on a busy machine). */
export async function waitUntilHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const status = await waitFor(
    () =>
      fetch(`${url}/healthz`).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s === 200,
    timeoutMs,
  );
  if (status !== 200) throw new Error(`the app at ${url} did not answer /healthz with 200 within ${timeoutMs / 1000} s`);
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
