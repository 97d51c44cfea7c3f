import type { Logger } from "../log";
import type { OfflineTokens } from "./offline-tokens";

const DAY_MS = 86_400_000;

/** OfflineTokens.renewDue in the worker role: once at start, then daily. */
export class TokenUpkeep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly tokens: OfflineTokens,
    private readonly log: Logger,
    private readonly intervalMs = DAY_MS,
  ) {}

  start(): void {
    const run = () => {
      this.running = this.tokens.renewDue().catch((err) => this.log.error({ err: (err as Error).message }, "offline token upkeep failed"));
    };
    run();
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
