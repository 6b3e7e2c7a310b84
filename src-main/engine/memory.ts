/**
 * How much memory a model needs to train or run at a batch and tile, estimated from its
 * layers rather than measured, so a size that cannot fit is known before a step is taken.
 *
 * Training keeps, per trainable weight, the weight, its gradient and Adam's two moments
 * (4 × float32), and, for backprop, every layer's output for the whole batch; gradients and
 * kernel scratch on the way back add a share of that, folded into TRAIN_ACTIVATION_FACTOR.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendId } from '../../shared/engineProtocol';
import { MODEL_DEFAULTS, buildModel, type ArchId, type ModelConfig, type NormKind } from './models';

const FLOAT_BYTES = 4;

/**
 * Bytes of memory per byte of activations a training step keeps, by the norm the model uses.
 * Measured on the wasm backend (2 threads, tfjs 4.22, Node 20), one fresh process per row,
 * over two Adam steps of train.ts's step (cross-entropy + Dice). "act" is 4 × batch × tile² ×
 * activationsPerPixel; "peak" tf.profile's peakBytes; "heap" the growth of the wasm heap
 * (`HEAPU8.length`, which only grows, in steps of up to 20 %). Factor = (x − weights) / act,
 * weights being 4 × (4 × trainable + fixed) bytes. Sizes in MB.
 *
 *   model (base/depth)    batch×tile   act    peak (factor)   heap (factor)
 *   unet 8/3              2×128         29    185 (6.2)       164 (5.5)
 *   unet 8/3              4×128         59    367 (6.2)       358 (6.1)
 *   unet 8/3              2×256        118    731 (6.2)       728 (6.2)
 *   unet 16/4             4×128        123    788 (6.2)       830 (6.5)
 *   unet-res 16/4         2×128         74    514 (6.6)       523 (6.7)
 *   fcn8s 16/4            2×128         26    202 (7.0)       200 (7.0)
 *   deeplabv3plus 16/4    2×128         37    293 (6.8)       296 (6.8)
 *   encdec 16/4           2×128         54    386 (6.7)       433 (7.6)
 *   unet 16/4, group      1×128         31    273 (7.9)       296 (8.6)
 *   unet-res 16/4, group  1×128         37    334 (8.3)       296 (7.3)
 *
 * The forward pass keeps every op's output on the tape (a conv-norm-ReLU block keeps more
 * than its three layer outputs), and gradients pile up on the way back; group norm computes
 * its statistics in more ops than batch norm. The factors sit above every peak and every heap
 * but encdec's, one 20 % growth step past its peak. memoryWasm.test.ts holds the estimate
 * between 1× and 1.6× a measured peak (1.30–1.36× for base 8 at 96 pixels, where the fixed
 * overhead weighs most).
 */
export const TRAIN_ACTIVATION_FACTOR = { batch: 7.5, group: 9, none: 7.5 } as const;

/**
 * Batch norm on wasm trains through our fused kernels (wasm/batchNormTraining.ts), which
 * keep far fewer temporaries: measured the same way, peak factors 2.7–3.0 (heap 1.9–2.7)
 * for unet 8/3 and 16/4 and unet-res 16/4 at batch 2–4, tile 96–128. Other backends run
 * tf.layers' own batch norm and keep TRAIN_ACTIVATION_FACTOR.batch.
 */
export const WASM_BATCH_NORM_FACTOR = 3.5;

/**
 * predict() frees each tensor once its last reader has run, so far less than all activations
 * is alive at once: the peak was 0.12–0.18 of them (heap 0.18–0.32) for unet, unet-res and
 * deeplabv3plus at 4×128 on wasm; the skips' encoder features are what stays.
 */
export const INFER_ACTIVATION_FACTOR = 0.35;

/** The runtime before any tensor: the wasm module starts with a 16 MiB heap. */
export const BASE_OVERHEAD_BYTES = 16 * 2 ** 20;

/** What a model needs in memory whatever the batch and tile. */
export interface ModelFootprint {
  /** Weights that train: each also has a gradient and Adam's two moments. */
  trainableParams: number;
  /** Weights that do not train (batch norm's moving statistics). */
  fixedParams: number;
  /**
   * Σ over layers (the input included) of output elements for one image, per input pixel;
   * × tile² × batch gives the activations a training step keeps for backprop.
   */
  activationsPerPixel: number;
  /**
   * Elements of the largest layer output for one image, per input pixel; × tile² × batch
   * × 4 is the largest tensor of a step, which a GPU backend must hold in one buffer.
   */
  largestPerPixel: number;
  /** The norm the model's blocks use, which sets the share of temporaries. */
  norm: NormKind;
}

/** A size estimate, in bytes, split by what holds the memory. */
export interface MemoryEstimate {
  /** Weights, plus gradients and Adam's moments when training. */
  weights: number;
  /** Layer outputs and the temporaries of the step, for the whole batch. */
  activations: number;
  /** weights + activations + the runtime's fixed overhead. */
  total: number;
}

function product(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((acc, v) => {
    if (v == null) throw new Error('memory estimates need static shapes: build with inputSize set');
    return acc * v;
  }, 1);
}

function normOf(model: tf.LayersModel): NormKind {
  const classes = new Set(model.layers.map((l) => l.getClassName()));
  if (classes.has('GroupNormalization')) return 'group';
  return classes.has('BatchNormalization') ? 'batch' : 'none';
}

/**
 * The footprint of a model built with static shapes (`inputSize` set). Every architecture
 * here is fully convolutional, so output elements scale with the input's pixels; a layer
 * with a fixed-size output (global pooling) is counted as if it scaled, a small overcount.
 */
export function footprintOf(model: tf.LayersModel): ModelFootprint {
  const inputShape = model.inputs[0]?.shape ?? [];
  const inputPixels = product(inputShape.slice(1, -1));
  let elements = 0;
  let largest = 0;
  for (const layer of model.layers) {
    const shapes = layer.outputShape;
    const list = (Array.isArray(shapes[0]) ? shapes : [shapes]) as tf.Shape[];
    for (const shape of list) {
      const size = product(shape.slice(1));
      elements += size;
      largest = Math.max(largest, size);
    }
  }
  const trainableParams = model.trainableWeights.reduce((n, w) => n + product(w.shape), 0);
  return {
    trainableParams,
    fixedParams: model.countParams() - trainableParams,
    activationsPerPixel: elements / inputPixels,
    largestPerPixel: largest / inputPixels,
    norm: normOf(model),
  };
}

/**
 * The footprint of `arch` with `cfg`, from a throwaway model (its weights exist for the
 * duration of the call). Shapes are symbolic, so the reference size allocates nothing more.
 */
export function footprintFor(
  arch: ArchId,
  cfg: Partial<ModelConfig> & { classes: number; inputChannels: number },
): ModelFootprint {
  const depth = cfg.depth ?? MODEL_DEFAULTS.depth;
  const model = buildModel(arch, { ...cfg, inputSize: 2 ** depth * 8 });
  try {
    return footprintOf(model);
  } finally {
    model.dispose();
  }
}

/** Memory of one training step (forward, backward, Adam update) at `batch` × tile × tile. */
export function trainingBytes(
  fp: ModelFootprint,
  batch: number,
  tile: number,
  backend: BackendId = 'wasm',
): MemoryEstimate {
  const weights = FLOAT_BYTES * (4 * fp.trainableParams + fp.fixedParams);
  const kept = FLOAT_BYTES * batch * tile * tile * fp.activationsPerPixel;
  const isFusedNorm = backend === 'wasm' && fp.norm === 'batch';
  const activations =
    kept * (isFusedNorm ? WASM_BATCH_NORM_FACTOR : TRAIN_ACTIVATION_FACTOR[fp.norm]);
  return { weights, activations, total: weights + activations + BASE_OVERHEAD_BYTES };
}

/** Bytes of the largest tensor a step over `batch` tiles of `width` × `height` pixels holds. */
export function largestTensorBytes(
  fp: Pick<ModelFootprint, 'largestPerPixel'>,
  batch: number,
  width: number,
  height = width,
): number {
  return FLOAT_BYTES * batch * width * height * fp.largestPerPixel;
}

/** Memory of a forward pass over `batch` tiles of `width` × `height` pixels, no gradients. */
export function inferenceBytes(
  fp: ModelFootprint,
  batch: number,
  width: number,
  height = width,
): MemoryEstimate {
  const weights = FLOAT_BYTES * (fp.trainableParams + fp.fixedParams);
  const all = FLOAT_BYTES * batch * width * height * fp.activationsPerPixel;
  const activations = all * INFER_ACTIVATION_FACTOR;
  return { weights, activations, total: weights + activations + BASE_OVERHEAD_BYTES };
}

/** Bytes for people: "1.9 GB", "310 MB" (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}
