/**
 * Autosave for the mask being edited. Edits mark it dirty; it saves about a second after
 * the last one, at once on `flush()` (image switch, window close), and retries a failed
 * save with growing delays while keeping the edits in memory. One save runs at a time, so
 * an older snapshot can never land after a newer one.
 */

export type SaveState =
  { kind: 'saved' } | { kind: 'unsaved' } | { kind: 'saving' } | { kind: 'failed'; reason: string };

/** The mask as it is now; `data` is copied before it is sent. */
export interface MaskSnapshot {
  id: string;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface MaskSaverOptions {
  /** Writes one mask; resolves, or rejects / returns an error message on failure. */
  save(snapshot: MaskSnapshot): Promise<string | null>;
  onState(state: SaveState): void;
  /** Milliseconds after the last edit. */
  debounceMs?: number;
  /** Delays before retries after a failure; the last one repeats. */
  retryMs?: readonly number[];
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class MaskSaver {
  private source: (() => MaskSnapshot) | null = null;
  /** Bumped by every edit; `savedRevision` is the one on disk. */
  private revision = 0;
  private savedRevision = 0;
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private failures = 0;
  private state: SaveState = { kind: 'saved' };
  private readonly debounceMs: number;
  private readonly retryMs: readonly number[];
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: MaskSaverOptions) {
    this.debounceMs = options.debounceMs ?? 1000;
    this.retryMs = options.retryMs ?? [1000, 3000, 10_000];
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as number));
  }

  get isDirty(): boolean {
    return this.revision !== this.savedRevision;
  }

  get currentState(): SaveState {
    return this.state;
  }

  /**
   * Follows another image's mask. Call `flush()` first: what the old source had not
   * saved is dropped here.
   */
  attach(source: (() => MaskSnapshot) | null): void {
    this.cancelTimer();
    this.source = source;
    this.revision = 0;
    this.savedRevision = 0;
    this.failures = 0;
    this.setState({ kind: 'saved' });
  }

  /** Records an edit and (re)starts the debounce. */
  markEdited(): void {
    this.revision++;
    if (this.state.kind !== 'failed') this.setState({ kind: 'unsaved' });
    if (this.failures === 0) this.schedule(this.debounceMs);
  }

  /** Saves now if anything is unsaved, waiting for a save already running; true if clean. */
  async flush(): Promise<boolean> {
    this.cancelTimer();
    if (this.inFlight) await this.inFlight;
    if (this.isDirty) await this.saveOnce();
    return !this.isDirty;
  }

  dispose(): void {
    this.cancelTimer();
    this.source = null;
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.saveOnce();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private async saveOnce(): Promise<void> {
    // Callers queue behind a running save (perhaps of the previous image) and then save
    // whatever is still dirty.
    while (this.inFlight) await this.inFlight;
    const source = this.source;
    if (!source || !this.isDirty) return;
    const revision = this.revision;
    const snapshot = source();
    const copy = { ...snapshot, data: snapshot.data.slice() };
    this.setState({ kind: 'saving' });

    this.inFlight = (async () => {
      let problem: string | null;
      try {
        problem = await this.options.save(copy);
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      this.inFlight = null;
      if (this.source !== source) return;
      if (problem === null) {
        this.savedRevision = revision;
        this.failures = 0;
        if (this.isDirty) {
          this.setState({ kind: 'unsaved' });
          this.schedule(this.debounceMs);
        } else {
          this.setState({ kind: 'saved' });
        }
      } else {
        const delay = this.retryMs[Math.min(this.failures, this.retryMs.length - 1)]!;
        this.failures++;
        this.setState({ kind: 'failed', reason: problem });
        this.schedule(delay);
      }
    })();
    return this.inFlight;
  }

  private setState(state: SaveState): void {
    const old = this.state;
    const isSame = old.kind === state.kind && describe(old) === describe(state);
    this.state = state;
    if (!isSame) this.options.onState(state);
  }
}

function describe(state: SaveState): string {
  return state.kind === 'failed' ? state.reason : '';
}
