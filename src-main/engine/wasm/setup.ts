/**
 * Starts tfjs's WebAssembly backend for training under plain Node: the threaded SIMD
 * binary where Node can run it (see nodeRuntime.ts), plain SIMD otherwise, and the
 * kernels and gradients training needs beyond what tfjs 4.22 ships.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerConvGradients } from '../gradients';
import { registerBatchNormGradient } from './batchNormGrad';
import { registerBatchNormTraining } from './batchNormTraining';
import { registerConv2DBackpropFilter } from './conv2dBackpropFilter';
import { registerFastConv2DBackpropInput } from './conv2dBackpropInput';
import { registerCopyKernels } from './copyKernels';
import { registerDepthwiseTraining } from './depthwiseTraining';
import { routeDilatedFusedConvs } from './fusedConvDilation';
import { registerFastMaxPoolGrad } from './maxPoolGrad';
import { wasmBinaryFolder, withPthreads } from './nodeRuntime';

export { stockWasmKernels } from './kernelFuncs';

export interface WasmInfo {
  /** Whether the SIMD binary runs (every current Node does). */
  simd: boolean;
  /** XNNPACK threads actually running; 1 on the single-threaded binary. */
  threads: number;
}

export interface WasmOptions {
  /** XNNPACK threads wanted; defaults to the logical CPUs, at most the pool's 8 workers. */
  threads?: number;
}

let binariesLocated = false;

/**
 * Makes wasm tfjs's active backend, starting it on the first call. The thread count is
 * fixed by the first call; later calls only switch back to wasm and report it.
 */
export async function initWasm(options: WasmOptions = {}): Promise<WasmInfo> {
  registerTrainingKernels();
  if (!binariesLocated) {
    // setWasmPaths throws once the module has started, so only the first call sets it.
    setWasmPaths(wasmBinaryFolder());
    binariesLocated = true;
  }
  const wanted = Math.max(1, Math.floor(options.threads ?? Math.min(availableParallelism(), 8)));
  setThreadsCount(wanted);
  const start = () => tf.setBackend('wasm');

  // The threaded binary is slower than plain SIMD when it gets one thread, so one thread
  // asks for the plain one.
  let started = wanted > 1 ? await withPthreads(wanted, start) : null;
  if (started !== true) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    started = await start();
  }
  if (!started) throw new Error('the WebAssembly backend did not start');
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  return { simd, threads: getThreadsCount() };
}

/**
 * Idempotent: what training needs beyond tfjs 4.22. Wasm kernels it lacks (conv and
 * depthwise backprop, training-mode batch norm as one kernel) and faster ones for
 * Conv2DBackpropInput, MaxPoolGrad and the copies (Identity, Cast, Concat, SplitV); on every
 * backend, Conv2D and depthwise gradients that accept dilation rates above 1, dilated conv
 * layers routed to them, and a batch-norm gradient without a full-size Tile. Safe to call
 * before any backend starts.
 */
export function registerTrainingKernels(): void {
  registerConv2DBackpropFilter();
  registerFastConv2DBackpropInput();
  registerConvGradients();
  registerDepthwiseTraining();
  routeDilatedFusedConvs();
  registerBatchNormGradient();
  registerBatchNormTraining();
  registerCopyKernels();
  registerFastMaxPoolGrad();
}
