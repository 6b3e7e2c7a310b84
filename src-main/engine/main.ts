/**
 * The engine process's entry: chooses a backend on 'start', then runs one job at a time,
 * sending progress and results back. Runs under child_process.fork (Node) or Electron's
 * utilityProcess; anything thrown becomes a 'failed' message, never a silent exit.
 */
import type {
  BackendId,
  EngineJob,
  FromEngine,
  JobResult,
  ToEngine,
} from '../../shared/engineProtocol';
import { exhaustiveSwitchError, toErrorInfo } from '../../shared/errors';
import { chooseBackend } from './backends';
import { runIntermediates } from './intermediatesJob';
import { runEval, runPredict } from './jobs';
import { runPropose } from './proposeJob';
import { train } from './train';

/** Electron's utilityProcess talks over `process.parentPort`; a Node fork over IPC. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: ToEngine }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const port = {
  send(message: FromEngine) {
    if (parentPort) parentPort.postMessage(message);
    else process.send?.(message);
  },
  onMessage(listener: (message: ToEngine) => void) {
    if (parentPort) parentPort.on('message', (event) => listener(event.data));
    else process.on('message', listener);
  },
};

let backend: Awaited<ReturnType<typeof chooseBackend>> | null = null;
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

const log = (message: string) => port.send({ type: 'log', level: 'info', message });

port.onMessage((message) => {
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  queue = queue.then(() => handle(message)).catch(() => undefined);
});

async function handle(message: ToEngine): Promise<void> {
  if (message.type === 'start') {
    try {
      backend = await chooseBackend(message.backend);
      port.send({ type: 'ready', backend });
    } catch (err) {
      const info = toErrorInfo(err);
      port.send({ type: 'failed', id: null, code: info.code, message: info.message });
    }
    return;
  }
  if (message.type !== 'job') return;
  const { id, job } = message;
  try {
    if (!backend) throw new Error('the engine has no backend yet');
    port.send({ type: 'done', id, result: await runJob(id, job, backend.id) });
  } catch (err) {
    const info = toErrorInfo(err);
    port.send({ type: 'failed', id, code: info.code, message: explainFailure(info.message) });
  } finally {
    cancelled.delete(id);
  }
}

async function runJob(id: number, job: EngineJob, backendId: BackendId): Promise<JobResult> {
  switch (job.kind) {
    case 'train': {
      const result = await train(job.spec, {
        backend: backendId,
        log,
        onProgress: (progress) => port.send({ type: 'progress', id, progress }),
        isCancelled: () => cancelled.has(id),
      });
      return { kind: 'train', result };
    }
    case 'predict':
      return { kind: 'predict', result: await runPredict(job.spec, log) };
    case 'eval':
      return { kind: 'eval', result: await runEval(job.spec) };
    case 'intermediates':
      return { kind: 'intermediates', result: await runIntermediates(job.spec, backendId) };
    case 'propose': {
      const result = await runPropose(job.spec, {
        log,
        onProposed: (item) => port.send({ type: 'proposed', id, item }),
        isCancelled: () => cancelled.has(id),
      });
      return { kind: 'propose', result };
    }
    default:
      return exhaustiveSwitchError(job);
  }
}

/** The wasm heap is 32-bit: an allocation failure is a size problem the user can fix. */
function explainFailure(message: string): string {
  if (
    /out of memory|Cannot allocate|memory access out of bounds|Array buffer allocation/i.test(
      message,
    )
  ) {
    return `out of memory (${message}); lower --batch or --tile, or --base`;
  }
  return message;
}
