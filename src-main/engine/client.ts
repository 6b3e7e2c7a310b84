/**
 * The main side's handle on the engine process. It starts the process on first use (again
 * after a crash), sends jobs, relays progress, and turns the process dying into an error
 * for the job at hand rather than a crash of the caller.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type {
  BackendId,
  BackendReport,
  EngineJob,
  FromEngine,
  JobResult,
  ProposedImage,
  ToEngine,
  TrainProgress,
} from '../../shared/engineProtocol';

interface Pending extends JobListeners {
  resolve(result: JobResult): void;
  reject(err: Error): void;
}

/** What a job reports before it is done: a train job's progress, a propose job's images. */
export interface JobListeners {
  onProgress?: (progress: TrainProgress) => void;
  onProposed?: (item: ProposedImage) => void;
}

/** The engine process as the client sees it: a Node fork or an Electron utilityProcess. */
export interface EngineChild {
  readonly pid: number | undefined;
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Under plain Node: the TypeScript entry forked with tsx, messages by structured clone. */
export function forkNodeEngine(env: Record<string, string> = {}): EngineChild {
  const child: ChildProcess = fork(join(import.meta.dirname, 'main.ts'), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => void child.send(message),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', listener),
    kill: () => void child.kill(),
  };
}

/** The engine process came up on a backend, or went away while it was wanted. */
export type EngineLifecycle =
  { kind: 'started'; backend: BackendReport } | { kind: 'stopped'; why: string };

export interface EngineClientOptions {
  backend: BackendId | null;
  /** Starts the engine process; default: {@link forkNodeEngine}. */
  spawn?: () => EngineChild;
  onLog?: (level: 'info' | 'warn', message: string) => void;
  /** Extra environment for the engine process (tests use it). */
  env?: Record<string, string>;
}

export class EngineClient {
  private child: EngineChild | null = null;
  private exited = new WeakSet<EngineChild>();
  private ready: Promise<BackendReport> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly lifecycle = new Set<(event: EngineLifecycle) => void>();
  /** Children being stopped on purpose: their exit is not news. */
  private readonly stopping = new WeakSet<EngineChild>();
  private nextId = 1;
  private wantedBackend: BackendId | null;

  constructor(private readonly options: EngineClientOptions) {
    this.wantedBackend = options.backend;
  }

  /** The backend asked for; null: the fastest that works. */
  get wanted(): BackendId | null {
    return this.wantedBackend;
  }

  /**
   * Stops the engine (a job running fails with ENGINE_DIED) and starts it again on
   * `backend` (null: the fastest that works); resolves with the backend it chose, or
   * rejects with why that one cannot run.
   */
  async restart(backend: BackendId | null): Promise<BackendReport> {
    await this.stop();
    this.wantedBackend = backend;
    return this.start();
  }

  /** Hears the engine start (again, after a crash) and stop unasked; returns the unsubscribe. */
  onLifecycle(listener: (event: EngineLifecycle) => void): () => void {
    this.lifecycle.add(listener);
    return () => this.lifecycle.delete(listener);
  }

  /** Starts the engine if it is not running; resolves with the backend it chose. */
  start(): Promise<BackendReport> {
    if (this.ready) return this.ready;
    const child = this.options.spawn?.() ?? forkNodeEngine(this.options.env);
    this.child = child;
    this.ready = new Promise<BackendReport>((resolve, reject) => {
      child.onMessage((message) => {
        if (message.type === 'ready') {
          resolve(message.backend);
          this.tell({ kind: 'started', backend: message.backend });
        } else if (message.type === 'failed' && message.id === null) {
          reject(new AppError(message.code, message.message));
          this.stop();
        } else this.route(message);
      });
      child.onExit((code, signal) => {
        this.exited.add(child);
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        const err = new AppError(
          'ENGINE_DIED',
          `the engine process stopped (${why}); it restarts on the next job`,
        );
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        if (this.child === child) {
          this.child = null;
          this.ready = null;
        }
        if (!this.stopping.has(child)) this.tell({ kind: 'stopped', why: err.message });
      });
    });
    this.send({ type: 'start', backend: this.wantedBackend });
    return this.ready;
  }

  /**
   * Sends a job; resolves once it is sent, with its id (for cancel) and its result. A
   * function as `listeners` is the progress listener.
   */
  async run(
    job: EngineJob,
    listeners: JobListeners | ((progress: TrainProgress) => void) = {},
  ): Promise<{ id: number; result: Promise<JobResult> }> {
    await this.start();
    const id = this.nextId++;
    const on = typeof listeners === 'function' ? { onProgress: listeners } : listeners;
    const result = new Promise<JobResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...on });
    });
    this.send({ type: 'job', id, job });
    return { id, result };
  }

  cancel(id: number): void {
    this.send({ type: 'cancel', id });
  }

  /** The engine's process id, while it runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited.has(child)) return Promise.resolve();
    this.stopping.add(child);
    return new Promise((resolve) => {
      child.onExit(() => resolve());
      child.kill();
    });
  }

  private tell(event: EngineLifecycle): void {
    for (const listener of this.lifecycle) listener(event);
  }

  private route(message: FromEngine): void {
    if (message.type === 'log') this.options.onLog?.(message.level, message.message);
    else if (message.type === 'progress')
      this.pending.get(message.id)?.onProgress?.(message.progress);
    else if (message.type === 'proposed') this.pending.get(message.id)?.onProposed?.(message.item);
    else if (message.type === 'done') {
      this.pending.get(message.id)?.resolve(message.result);
      this.pending.delete(message.id);
    } else if (message.type === 'failed' && message.id !== null) {
      this.pending.get(message.id)?.reject(new AppError(message.code, message.message));
      this.pending.delete(message.id);
    }
  }

  private send(message: ToEngine): void {
    this.child?.send(message);
  }
}
