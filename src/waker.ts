/**
 * Lets a polling loop sleep until it is poked or its interval passes. A poke that arrives while
 * the loop is busy is remembered, so the next sleep returns at once instead of losing it.
 */
export class Waker {
  private wake?: () => void;
  private poked = false;

  constructor(private readonly intervalMs: number) {}

  async sleep(): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.intervalMs);
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
    this.poked = false;
  }

  poke(): void {
    if (this.wake) this.wake();
    else this.poked = true;
  }
}
