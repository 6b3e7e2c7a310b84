/**
 * Starts tfjs's WebAssembly backend for training under plain Node: SIMD, the kernels it
 * lacks for training registered, and SkipSeg's Conv2D gradient (which handles dilation).
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerConvGradients } from '../gradients';
import { registerConv2DBackpropFilter } from './conv2dBackpropFilter';
import { registerFastConv2DBackpropInput } from './conv2dBackpropInput';

export interface WasmInfo {
  simd: boolean;
  threads: number;
}

export async function initWasm(options: { threads?: number } = {}): Promise<WasmInfo> {
  // TODO: the threaded binary starts under Node (see threads.ts) but its pthread pool still
  // reports one thread; until that is solved the backend runs single-threaded SIMD.
  setThreadsCount(options.threads ?? 1);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not start');
  await tf.ready();
  registerTrainingKernels();
  return { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as boolean, threads: 1 };
}

/** Idempotent: the kernels and gradients training needs beyond what tfjs's wasm ships. */
export function registerTrainingKernels(): void {
  registerConv2DBackpropFilter();
  registerFastConv2DBackpropInput();
  registerConvGradients();
}
