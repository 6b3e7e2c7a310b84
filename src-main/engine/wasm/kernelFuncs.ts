/**
 * Direct access to the wasm backend's own kernel functions, for kernels of ours built from
 * them: they take and return backend TensorInfos, so intermediates are freed with
 * `backend.disposeData` and never reach the engine's tensor count.
 */
import * as tf from '@tensorflow/tfjs';

export type Info = tf.TensorInfo;

export type KernelFunc = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}) => Info;

export function wasmKernel(name: string): KernelFunc {
  const found = tf.getKernel(name, 'wasm');
  if (!found) throw new Error(`the wasm backend has no ${name} kernel to build on`);
  return found.kernelFunc as KernelFunc;
}
