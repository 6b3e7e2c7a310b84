/**
 * Calls `send` at most once per `intervalMs`, trailing: a call inside the interval is
 * delivered when it ends, so the last state always goes out. `flush` sends at once.
 */
export class Throttle {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: () => void,
    private readonly intervalMs = 250,
  ) {}

  request(): void {
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    this.cancel();
    this.last = Date.now();
    this.send();
  }

  /** Drops a pending trailing call. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
