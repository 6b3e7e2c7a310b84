/**
 * Batch normalisation in training mode as one kernel and one gradient kernel, for wasm.
 *
 * tf.layers computes it as moments (Mean, Sub, Square, Mean) plus FusedBatchNorm, and the
 * gradient then flows back through each of those ops; on wasm every broadcast op and every
 * reduction over N, H and W is a slow path (a transpose, then a loop), and the chain made a
 * fifth of a U-Net training step. Here every full-size pass is one of XNNPACK's threaded
 * kernels: per-channel scale and shift as a 1×1 depthwise conv with bias, products and
 * squares elementwise, and per-channel sums as an average pool over runs of up to 256
 * values whose partial means are summed in float64.
 *
 * Forward, per channel k over the M = N·H·W values: mean = Σx / M, variance = Σ(x − mean)² / M
 * (biased, as tf.moments), y = (x − mean)·γ/√(variance + ε) + β. Backward, with
 * r = 1/√(variance + ε) and x̂ = (x − mean)·r:
 *   dβ = Σdy, dγ = Σdy·x̂,
 *   dx = γr·(dy − dβ/M − x̂·dγ/M) + dMean/M + 2·dVariance·(x − mean)/M,
 * the last two terms being the gradients reaching the mean and variance outputs (none in
 * tf.layers, which only feeds them to the moving averages).
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, wasmKernel, type Info, type KernelFunc, type WasmBackend } from './kernelFuncs';

/** Forward kernel: x [..., C], scale and offset [C] → y (x's shape), mean [C], variance [C]. */
export const BATCH_NORM_TRAINING = 'SkipSegBatchNormTraining';
const BATCH_NORM_TRAINING_GRAD = 'SkipSegBatchNormTrainingGrad';

interface Attrs {
  varianceEpsilon: number;
}

interface Ops {
  backend: WasmBackend;
  avgPool: KernelFunc;
  depthwise: KernelFunc;
  multiply: KernelFunc;
  square: KernelFunc;
  add: KernelFunc;
}

let kernels: Omit<Ops, 'backend'> | null = null;

function ops(backend: tf.KernelBackend): Ops {
  if (!kernels) throw new Error('registerBatchNormTraining() has not run');
  return { backend: backend as WasmBackend, ...kernels };
}

/** x [..., C] seen as the image [1, M, 1, C] the pooling and depthwise kernels take. */
function asColumn(x: Info): Info {
  const c = x.shape[x.shape.length - 1]!;
  const m = x.shape.reduce((a, b) => a * b, 1) / c;
  return { dataId: x.dataId, shape: [1, m, 1, c], dtype: x.dtype };
}

/** Largest divisor of m up to 256: the run each average-pool window covers. */
function runLength(m: number): number {
  for (let d = Math.min(256, m); d > 1; d--) if (m % d === 0) return d;
  return 1;
}

/** Per-channel sums of a [1, M, 1, C] column: pooled in float32 runs, summed in float64. */
function channelSums(o: Ops, column: Info): Float64Array {
  const [, m, , c] = column.shape as [number, number, number, number];
  const run = runLength(m);
  const attrs = { filterSize: [run, 1], strides: [run, 1], pad: 'valid' };
  const pooled = run > 1 ? o.avgPool({ inputs: { x: column }, backend: o.backend, attrs }) : column;
  const values = heapF32(o.backend, pooled);
  const sums = new Float64Array(c);
  for (let i = 0; i < values.length; i += c) {
    for (let k = 0; k < c; k++) sums[k]! += values[i + k]!;
  }
  if (pooled !== column) o.backend.disposeData(pooled.dataId);
  return sums.map((s) => s * run);
}

function constant(o: Ops, shape: number[], values: ArrayLike<number>): Info {
  const t = o.backend.makeOutput(shape, 'float32');
  heapF32(o.backend, t).set(values);
  return t;
}

/** column·scale + shift per channel, as a 1×1 depthwise conv with bias. */
function affine(o: Ops, column: Info, scale: ArrayLike<number>, shift: ArrayLike<number>): Info {
  const c = column.shape[3]!;
  const filter = constant(o, [1, 1, c, 1], scale);
  const bias = constant(o, [c], shift);
  const attrs = { strides: 1, pad: 'valid', dilations: 1, dataFormat: 'NHWC' } as tf.NamedAttrMap;
  attrs.activation = 'linear';
  const out = o.depthwise({ inputs: { x: column, filter, bias }, backend: o.backend, attrs });
  o.backend.disposeData(filter.dataId);
  o.backend.disposeData(bias.dataId);
  return out;
}

function shaped(t: Info, shape: number[]): Info {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function forward(o: Ops, x: Info, scale: Info, offset: Info, eps: number): Info[] {
  const column = asColumn(x);
  const [, m, , c] = column.shape as [number, number, number, number];
  const mean = channelSums(o, column).map((s) => s / m);
  const centred = affine(
    o,
    column,
    new Float64Array(c).fill(1),
    mean.map((v) => -v),
  );
  const squares = o.square({ inputs: { x: centred }, backend: o.backend });
  const variance = channelSums(o, squares).map((s) => s / m);
  o.backend.disposeData(centred.dataId);
  o.backend.disposeData(squares.dataId);

  // y = x·a + b with a = γr and b = β − mean·a.
  const [gamma, beta] = [heapF32(o.backend, scale), heapF32(o.backend, offset)];
  const a = variance.map((v, k) => gamma[k]! / Math.sqrt(v + eps));
  const b = a.map((ak, k) => beta[k]! - mean[k]! * ak);
  const y = affine(o, column, a, b);
  return [shaped(y, x.shape), constant(o, [c], mean), constant(o, [c], variance)];
}

interface GradInputs {
  dy: Info;
  x: Info;
  mean: Info;
  variance: Info;
  scale: Info;
  dMean?: Info;
  dVariance?: Info;
}

function backward(o: Ops, inputs: GradInputs, eps: number): Info[] {
  const [column, dyColumn] = [asColumn(inputs.x), asColumn(inputs.dy)];
  const [, m, , c] = column.shape as [number, number, number, number];
  const mean = Float64Array.from(heapF32(o.backend, inputs.mean));
  const variance = Float64Array.from(heapF32(o.backend, inputs.variance));
  const gamma = Float64Array.from(heapF32(o.backend, inputs.scale));
  const stat = (t?: Info) => (t ? Float64Array.from(heapF32(o.backend, t)) : new Float64Array(c));
  const [dMean, dVariance] = [stat(inputs.dMean), stat(inputs.dVariance)];

  const sumDy = channelSums(o, dyColumn);
  const centred = affine(
    o,
    column,
    new Float64Array(c).fill(1),
    mean.map((v) => -v),
  );
  const products = o.multiply({ inputs: { a: dyColumn, b: centred }, backend: o.backend });
  const sumDyCentred = channelSums(o, products);
  o.backend.disposeData(centred.dataId);
  o.backend.disposeData(products.dataId);

  // dx = p·dy + q·x + s, folding every per-channel factor of the formula above.
  const r = variance.map((v) => 1 / Math.sqrt(v + eps));
  const p = r.map((rk, k) => gamma[k]! * rk);
  const q = r.map((rk, k) => (-gamma[k]! * rk ** 3 * sumDyCentred[k]! + 2 * dVariance[k]!) / m);
  const s = r.map((rk, k) => (-gamma[k]! * rk * sumDy[k]! + dMean[k]!) / m - q[k]! * mean[k]!);
  const scaledDy = affine(o, dyColumn, p, new Float64Array(c));
  const scaledX = affine(o, column, q, s);
  const dx = o.add({ inputs: { a: scaledDy, b: scaledX }, backend: o.backend });
  o.backend.disposeData(scaledDy.dataId);
  o.backend.disposeData(scaledX.dataId);
  const dScale = sumDyCentred.map((v, k) => v * r[k]!);
  return [shaped(dx, inputs.x.shape), constant(o, [c], dScale), constant(o, [c], sumDy)];
}

let registered = false;

/** Idempotent. Registers both kernels on wasm and the forward kernel's gradient. */
export function registerBatchNormTraining(): void {
  if (registered) return;
  registered = true;
  kernels = {
    avgPool: wasmKernel('AvgPool'),
    depthwise: wasmKernel('FusedDepthwiseConv2D'),
    multiply: wasmKernel('Multiply'),
    square: wasmKernel('Square'),
    add: wasmKernel('Add'),
  };
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAINING,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, scale, offset } = inputs as { x: Info; scale: Info; offset: Info };
      const { varianceEpsilon } = attrs as unknown as Attrs;
      return forward(ops(backend as tf.KernelBackend), x, scale, offset, varianceEpsilon);
    },
  });
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAINING_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { varianceEpsilon } = attrs as unknown as Attrs;
      const grad = inputs as unknown as GradInputs;
      return backward(ops(backend as tf.KernelBackend), grad, varianceEpsilon);
    },
  });
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dMean, dVariance] = dys as (tf.Tensor | null)[];
      const [x, scale, mean, variance] = saved as tf.Tensor[];
      const inputs: tf.NamedTensorMap = { x: x!, mean: mean!, variance: variance!, scale: scale! };
      inputs.dy = dy ?? tf.zerosLike(x!);
      if (dMean) inputs.dMean = dMean;
      if (dVariance) inputs.dVariance = dVariance;
      // One kernel gives all three, so it runs here: the engine calls each closure in a
      // tidy of its own, which would dispose the other two.
      const grads = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, inputs, attrs);
      const [dx, dScale, dOffset] = grads as tf.Tensor[];
      return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
    },
  });
}

/**
 * Batch normalisation over every axis but the last, in training mode, on the fused kernel:
 * returns [y, mean, variance] (the latter two [C], biased variance as tf.moments). The
 * caller checks `hasBatchNormTraining()` first.
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor,
  offset: tf.Tensor,
  varianceEpsilon: number,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  const inputs = { x, scale, offset };
  const out = tf.engine().runKernel(BATCH_NORM_TRAINING, inputs, { varianceEpsilon });
  return out as unknown as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}

/** Whether the active backend has the fused kernel (only wasm, once registered). */
export function hasBatchNormTraining(): boolean {
  return tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) != null;
}
