/**
 * Cheaper copies on wasm, for kernels that only move data:
 *
 * - Identity, and Cast to the same dtype, share the input's memory (as Reshape does, and as
 *   the cpu backend's Identity does) instead of copying it. The engine clones every tensor
 *   it saves for a gradient, so in training this was hundreds of full copies per step. No
 *   wasm kernel writes into its inputs, so sharing is safe.
 * - Concat and SplitV move rows of `inner` values with one `TypedArray.set` per row; along
 *   the channel axis a row is a pixel's few channels, and millions of calls of a few bytes
 *   each made the U-Net's skip concatenation and its gradient slow. Short rows are copied
 *   value by value instead.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, type Info, type KernelFunc, type WasmBackend } from './kernelFuncs';

/** Rows shorter than this are copied by a loop; longer ones by `set` (a memcpy). */
const SHORT_ROW = 64;

type Values = Float32Array | Int32Array | Uint8Array;

/** Where a run of rows starts in an array and how far apart the rows are. */
interface Strided {
  values: Values;
  start: number;
  stride: number;
}

/** Copies `rows` rows of `len` values from one strided array to another. */
function copyRows(src: Strided, dst: Strided, rows: number, len: number): void {
  const [from, to] = [src.values, dst.values];
  if (len >= SHORT_ROW) {
    for (let r = 0; r < rows; r++) {
      const s = src.start + r * src.stride;
      to.set(from.subarray(s, s + len), dst.start + r * dst.stride);
    }
    return;
  }
  let s = src.start;
  let d = dst.start;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < len; j++) to[d + j] = from[s + j]!;
    s += src.stride;
    d += dst.stride;
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function share(backend: tf.KernelBackend, x: Info): Info {
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

const identity =
  (stock: KernelFunc): KernelFunc =>
  (args) => {
    const { x } = args.inputs as { x: Info };
    return x.dtype === 'string' ? stock(args) : share(args.backend, x);
  };

const cast =
  (stock: KernelFunc): KernelFunc =>
  (args) => {
    const { x } = args.inputs as { x: Info };
    const { dtype } = args.attrs as { dtype: tf.DataType };
    return dtype === x.dtype && dtype !== 'string' ? share(args.backend, x) : stock(args);
  };

/** Inputs side by side along the axis: each is [outer, its inner]; the output [outer, Σ inner]. */
const concat =
  (stock: KernelFunc): KernelFunc =>
  (args) => {
    const backend = args.backend as WasmBackend;
    const inputs = Object.values(args.inputs) as Info[];
    const first = inputs[0]!;
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number }).axis, first.shape)[0]!;
    const parts = inputs.filter((t) => size(t.shape) > 0);
    const mixed = parts.some((t) => t.dtype !== first.dtype);
    if (first.dtype === 'string' || parts.length < 2 || mixed) return stock(args);
    const outer = size(first.shape.slice(0, axis));
    const inner = parts.map((t) => size(t.shape.slice(axis)));
    const width = inner.reduce((a, b) => a + b, 0);
    const shape = [...first.shape];
    shape[axis] = parts.reduce((a, t) => a + t.shape[axis]!, 0);
    const out = backend.makeOutput(shape, first.dtype);
    const values = backend.typedArrayFromHeap(out);
    let offset = 0;
    parts.forEach((t, i) => {
      const src = { values: backend.typedArrayFromHeap(t), start: 0, stride: inner[i]! };
      copyRows(src, { values, start: offset, stride: width }, outer, inner[i]!);
      offset += inner[i]!;
    });
    return out;
  };

/** The inverse of concat: each output takes its columns of the [outer, inner] input. */
const splitV =
  (stock: KernelFunc): KernelFunc =>
  (args) => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: Info };
    const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    if (x.dtype === 'string') return stock(args) as unknown as Info;
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
    const outer = size(x.shape.slice(0, axis));
    const below = size(x.shape.slice(axis + 1));
    const width = x.shape[axis]! * below;
    let offset = 0;
    return sizes.map((s) => {
      const shape = [...x.shape];
      shape[axis] = s;
      const out = backend.makeOutput(shape, x.dtype);
      // Views are taken after the allocation, which may have grown (and moved) the heap.
      const src = { values: backend.typedArrayFromHeap(x), start: offset, stride: width };
      const dst = { values: backend.typedArrayFromHeap(out), start: 0, stride: s * below };
      copyRows(src, dst, outer, s * below);
      offset += s * below;
      return out;
    }) as unknown as Info;
  };

/** Idempotent. */
export function registerCopyKernels(): void {
  replaceWasmKernel('Identity', identity);
  replaceWasmKernel('Cast', cast);
  replaceWasmKernel('Concat', concat);
  replaceWasmKernel('SplitV', splitV);
}
