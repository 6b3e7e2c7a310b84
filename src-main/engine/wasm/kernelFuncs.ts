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

/** The part of tfjs-backend-wasm's BackendWasm that our JS-loop kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  /** A new tensor on the wasm heap, uninitialised; refCount 1. */
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  /** A view of a tensor's memory on the heap (valid until the heap grows). */
  typedArrayFromHeap(info: Info): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: tf.DataId): void;
}

export function wasmKernel(name: string): KernelFunc {
  const found = tf.getKernel(name, 'wasm');
  if (!found) throw new Error(`the wasm backend has no ${name} kernel to build on`);
  return found.kernelFunc as KernelFunc;
}

/** The float32 values of a tensor on the wasm heap, as a view (no copy). */
export function heapF32(backend: tf.KernelBackend, info: Info): Float32Array {
  const view = (backend as WasmBackend).typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`expected float32, got ${info.dtype}`);
  return view;
}

const stockKernels = new Map<string, tf.KernelConfig>();

/**
 * Registers a kernel function over the wasm backend's own `name`; `make` gets the original
 * to fall back to. Idempotent. The original config is kept for `stockWasmKernels`.
 */
export function replaceWasmKernel(name: string, make: (stock: KernelFunc) => KernelFunc): void {
  if (stockKernels.has(name)) return;
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) throw new Error(`the wasm backend has no ${name} kernel to replace`);
  stockKernels.set(name, stock);
  tf.unregisterKernel(name, 'wasm');
  const kernelFunc = make(stock.kernelFunc as KernelFunc) as tf.KernelFunc;
  // The original's setupFunc still runs when the backend starts; its kernel function needs it.
  tf.registerKernel({ ...stock, kernelFunc });
}

/** tfjs's own configs of the wasm kernels SkipSeg replaced, by name (for A/B timing). */
export function stockWasmKernels(): ReadonlyMap<string, tf.KernelConfig> {
  return stockKernels;
}
