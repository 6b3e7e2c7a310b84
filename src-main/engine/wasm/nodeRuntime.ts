/**
 * What tfjs-backend-wasm needs to start under plain Node, threads included.
 *
 * The `.wasm` binaries are read from disk (Emscripten's Node path uses `fs`, not fetch)
 * from the package's dist folder, resolved here so a bundled engine still finds them.
 *
 * The threaded SIMD binary does run under Node 20, but three things stop it out of the box
 * (tfjs issue #3830):
 * - the WASM_HAS_MULTITHREAD_SUPPORT flag answers false whenever tfjs sees Node;
 * - the Emscripten glue starts each pthread with `new Worker(blobUrl)`, and Node's
 *   worker_threads accept only file paths, then posts the glue itself as a Blob, which the
 *   worker cannot read synchronously;
 * - XNNPACK's pool is capped at half the logical CPUs (it assumes two hyper-threads per
 *   core), so a 2-core machine gets one thread whatever `setThreadsCount` asked for.
 * HACK: each is worked around below, by setting the flag, by a global `Worker` that swaps
 * the blob URL for the glue's worker source (run with `eval`) and the Blob for the glue
 * file's path, and by doubling `os.cpus()` while the module starts.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker as NodeWorker } from 'node:worker_threads';
import type { TransferListItem, WorkerOptions } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

const requireHere = createRequire(import.meta.url);
const PACKAGE = '@tensorflow/tfjs-backend-wasm';
const GLUE = `${PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.js`;
const WORKER = `${PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`;

/** The folder holding tfjs-backend-wasm's `.wasm` files, with a trailing separator. */
export function wasmBinaryFolder(): string {
  return join(dirname(requireHere.resolve(PACKAGE)), '/');
}

interface PthreadSources {
  /** The pthread worker's script, as tfjs would have put it in a blob. */
  workerSource: string;
  /** The threaded Emscripten glue, which every worker evaluates. */
  gluePath: string;
}

function pthreadSources(): PthreadSources | null {
  try {
    const { wasmWorkerContents } = requireHere(WORKER) as { wasmWorkerContents?: unknown };
    if (typeof wasmWorkerContents !== 'string') return null;
    // tfjs escapes the same way before making its blob: the source holds "\n" in strings.
    const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');
    return { workerSource, gluePath: requireHere.resolve(GLUE) };
  } catch {
    return null;
  }
}

function pthreadWorkerClass({ workerSource, gluePath }: PthreadSources): typeof NodeWorker {
  return class PthreadWorker extends NodeWorker {
    constructor(script: string | URL, options?: WorkerOptions) {
      const isBlob = typeof script === 'string' && script.startsWith('blob:');
      super(isBlob ? workerSource : script, isBlob ? { eval: true } : options);
    }

    // The glue refs a worker while it runs a pthread, and XNNPACK's pool threads run for
    // good, so Node would never exit (`skipseg bench` hung after printing). The main thread
    // only ever waits for them inside wasm calls, so they need not hold the event loop.
    override ref(): void {}

    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      const load = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (load?.cmd === 'load' && typeof load.urlOrBlob !== 'string') {
        message = { ...load, urlOrBlob: gluePath };
      }
      super.postMessage(message, transfer);
    }
  };
}

let workersInstalled = false;

function installPthreadWorkers(): boolean {
  if (workersInstalled) return true;
  const sources = pthreadSources();
  if (!sources || typeof SharedArrayBuffer !== 'function') return false;
  const PthreadWorker = pthreadWorkerClass(sources);
  // The glue assigns worker_threads' Worker to the global just before it creates workers;
  // an accessor whose setter ignores that keeps ours in place.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => PthreadWorker,
    set: () => {},
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  workersInstalled = true;
  return true;
}

/**
 * Prepares the threaded binary and runs `start` (which must start the wasm backend) while
 * Node reports enough CPUs for `threads` XNNPACK threads. Returns null without running
 * `start` when this Node cannot run the threaded binary.
 */
export async function withPthreads<T>(threads: number, start: () => Promise<T>): Promise<T | null> {
  if (!installPthreadWorkers()) return null;
  const os = requireHere('node:os') as { cpus: () => unknown[] };
  const cpus = os.cpus;
  // Only the count is read; XNNPACK takes half of it.
  os.cpus = () => new Array<unknown>(2 * threads).fill(cpus()[0] ?? {});
  try {
    return await start();
  } finally {
    os.cpus = cpus;
  }
}
