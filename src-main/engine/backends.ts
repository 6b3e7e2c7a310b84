/**
 * The compute backends, fastest first, as one ordered list: the engine takes the first that
 * works and says why each faster one does not.
 *
 * Runs only in the engine process: loading tfjs-node binds native libraries that must not
 * live in the window's process, and tfjs-node cannot run in worker_threads.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors';
import type { BackendId, BackendReport, BackendStatus } from '../../shared/engineProtocol';
import { BACKEND_IDS } from '../../shared/engineProtocol';
import { initWasm, registerTrainingKernels } from './wasm/setup';
import { activateWebGpu, probeWebGpu } from './webgpu/backend';
import { webgpuStatus } from './webgpu/status';

const requireHere = createRequire(import.meta.url);

// Production mode: no tfjs console hints (they advertise tfjs-node even where doctor has
// already said why it is absent), no debug-only checks.
tf.env().set('PROD', true);

interface Candidate {
  id: BackendId;
  /** What a user reads in `skipseg doctor`. */
  label: string;
  /**
   * Whether this backend can run here, and in words why not; `isWanted` when asked for by
   * name (a software WebGPU adapter runs only then). Cheap; loads nothing big.
   */
  probe(isWanted: boolean): Promise<BackendStatus>;
  /** Makes it tfjs's active backend; returns a detail line (threads, device). */
  activate(): Promise<string>;
}

function installed(pkg: string): boolean {
  try {
    requireHere.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** tfjs-node and tfjs-node-gpu register the 'tensorflow' backend when they load. */
function nativeCandidate(id: BackendId, pkg: string, label: string, howTo: string): Candidate {
  let loadError: string | null = null;
  const load = async () => {
    // A variable specifier keeps bundlers and tsc from needing the optional package.
    const specifier = pkg;
    await import(specifier);
  };
  return {
    id,
    label,
    async probe() {
      if (!installed(pkg))
        return { id, available: false, why: `${pkg} is not installed: ${howTo}` };
      try {
        await load();
        return { id, available: true, why: `${pkg} loaded` };
      } catch (err) {
        loadError = explainNativeError(err);
        return { id, available: false, why: `${pkg} is installed but did not load: ${loadError}` };
      }
    },
    async activate() {
      await load();
      if (!(await tf.setBackend('tensorflow')))
        throw new Error(`${pkg} did not register its backend`);
      return `${pkg} (libtensorflow)`;
    },
  };
}

/** Turns a dlopen failure into what the user must install. */
export function explainNativeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lib = /(lib[\w.+-]+\.so[\d.]*)/.exec(text)?.[1];
  if (lib?.startsWith('libcud') || lib?.startsWith('libcublas') || lib?.startsWith('libcudnn')) {
    return `${lib} is missing: it needs CUDA 11.2 and cuDNN 8.1 exactly, so SkipSeg runs on the CPU`;
  }
  if (lib) return `${lib} is missing (${text.split('\n')[0]})`;
  return text.split('\n')[0] ?? text;
}

export const BACKENDS: readonly Candidate[] = [
  nativeCandidate(
    'tensorflow-gpu',
    '@tensorflow/tfjs-node-gpu',
    'TensorFlow with CUDA (NVIDIA GPU)',
    'with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1, run `npm install @tensorflow/tfjs-node-gpu`',
  ),
  nativeCandidate(
    'tensorflow',
    '@tensorflow/tfjs-node',
    'TensorFlow native (CPU)',
    'run `npm install @tensorflow/tfjs-node` for native CPU speed (downloads libtensorflow)',
  ),
  {
    id: 'webgpu',
    label: 'WebGPU (any GPU vendor)',
    probe: async (isWanted) => webgpuStatus(await probeWebGpu(isWanted), isWanted),
    activate: activateWebGpu,
  },
  {
    id: 'wasm',
    label: 'WebAssembly (CPU, SIMD + threads)',
    probe: async () => ({ id: 'wasm', available: true, why: 'bundled with SkipSeg' }),
    async activate() {
      const { simd, threads } = await initWasm();
      return `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
    },
  },
  {
    id: 'cpu',
    label: 'plain JavaScript (CPU)',
    probe: async () => ({
      id: 'cpu',
      available: true,
      why: 'always available; hundreds of times slower',
    }),
    async activate() {
      await tf.setBackend('cpu');
      return 'pure JavaScript';
    },
  },
];

/** Every backend's status, in order, with `wanted` asked for by name: what doctor prints. */
export async function probeAll(wanted: BackendId | null = null): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const candidate of BACKENDS) out.push(await candidate.probe(candidate.id === wanted));
  return out;
}

/**
 * Activates `wanted` (which must work, or this throws saying why) or, when null, the first
 * backend that works; reports the choice and why every faster one was passed over.
 */
export async function chooseBackend(wanted: BackendId | null): Promise<BackendReport> {
  const skipped: BackendStatus[] = [];
  for (const candidate of BACKENDS) {
    if (wanted !== null && candidate.id !== wanted) {
      // Not probed: loading a backend the user did not ask for (Dawn, libtensorflow) costs
      // time and can print its own warnings.
      const faster = BACKEND_IDS.indexOf(candidate.id) < BACKEND_IDS.indexOf(wanted);
      const why = `not chosen: asked for ${wanted}`;
      if (faster) skipped.push({ id: candidate.id, available: false, why });
      continue;
    }
    const status = await candidate.probe(candidate.id === wanted);
    if (!status.available) {
      if (wanted !== null) throw new AppError('BACKEND_UNAVAILABLE', `${wanted}: ${status.why}`);
      skipped.push(status);
      continue;
    }
    try {
      const detail = await candidate.activate();
      await tf.ready();
      // Dilated-conv and batch-norm gradients are SkipSeg's on every backend, not just wasm.
      registerTrainingKernels();
      return { id: candidate.id, label: candidate.label, detail, skipped };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (wanted !== null) throw new AppError('BACKEND_UNAVAILABLE', `${wanted}: ${why}`);
      skipped.push({ id: candidate.id, available: false, why });
    }
  }
  throw new AppError('BACKEND_UNAVAILABLE', 'no compute backend could start');
}
