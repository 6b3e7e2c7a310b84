/**
 * The 'intermediates' job: runs a model once on a whole image (padded by reflection to a
 * multiple of 2^depth, as infer.ts pads a tile) and returns the tensors it fuses at each
 * skip, cropped back to the image and capped in channels (see shared/intermediates.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendId } from '../../shared/engineProtocol';
import { AppError } from '../../shared/errors';
import {
  DEFAULT_MAX_CHANNELS,
  type IntermediateRole,
  type IntermediateTensor,
  type IntermediatesResult,
  type IntermediatesSpec,
  type PixelData,
} from '../../shared/intermediates';
import type { ModelMeta } from '../../shared/modelMeta';
import { reflectIndex } from '../../shared/tiling';
import { decodeImage } from '../imageio';
import { toFloat } from './data';
import { normalise } from './infer';
import { footprintFor, formatBytes, inferenceBytes } from './memory';
import { MemoryBudgetError, memoryBudget } from './memoryBudget';
import { intermediateNames, parseIntermediateName, withIntermediates } from './models';
import { loadModel } from './modelStore';

type IntermediatesErrorCode = 'UNKNOWN_INTERMEDIATE' | 'BAD_IMAGE' | 'BAD_SPEC';
export class IntermediatesError extends AppError<IntermediatesErrorCode> {}

/**
 * Cropped and capped tensors of one intermediate, owned by the caller until read. A type, not
 * an interface, so that tf.tidy accepts it as a TensorContainer.
 */
type Parts = {
  /** [1, h, w, channelsSent], or undefined when no channel is sent. */
  values: tf.Tensor4D | undefined;
  /** [1, h, w, 1]. */
  meanAbs: tf.Tensor4D;
  /** C of the whole map. */
  channels: number;
};

/**
 * Runs the job on the active backend; `backend` sets the memory budget an image must fit.
 * Every tensor it makes is disposed before it returns or throws.
 */
export async function runIntermediates(
  spec: IntermediatesSpec,
  backend: BackendId,
): Promise<IntermediatesResult> {
  const maxChannels = spec.maxChannels ?? DEFAULT_MAX_CHANNELS;
  if (!Number.isInteger(maxChannels) || maxChannels < 0) {
    const why = `maxChannels must be a whole number ≥ 0, got ${maxChannels}`;
    throw new IntermediatesError('BAD_SPEC', why);
  }
  const raw =
    typeof spec.image === 'string' ? await decodeImage(spec.image) : checkPixels(spec.image);
  const image = { width: raw.width, height: raw.height };
  const { model, meta } = await loadModel(spec.model);
  try {
    const available = intermediateNames(model, meta.arch);
    const names = spec.names ?? available;
    const unknown = names.filter((n) => !available.includes(n));
    if (unknown.length > 0) {
      const list = `${unknown.join(', ')}; it has ${available.join(', ')}`;
      const why = `${spec.model} has no intermediate ${list}`;
      throw new IntermediatesError('UNKNOWN_INTERMEDIATE', why);
    }
    const step = 2 ** meta.depth;
    const padded = {
      width: Math.ceil(image.width / step) * step,
      height: Math.ceil(image.height / step) * step,
    };
    const view = withIntermediates(model, meta.arch, names);
    const outputNames = view.outputNames.slice(1);
    checkMemory(meta, view, padded, image, backend);

    const pixels = normalise(toFloat(raw, meta.inputChannels), meta);
    const input = padReflect(pixels, image, padded, meta.inputChannels);
    const parts = tf.tidy(() => {
      const x = tf.tensor4d(input, [1, padded.height, padded.width, meta.inputChannels]);
      const outputs = (view.predict(x) as tf.Tensor4D[]).slice(1);
      return outputs.map((t, i) => cropAndCap(t, levelOf(outputNames[i]!), image, maxChannels));
    });
    try {
      const tensors: IntermediateTensor[] = [];
      for (const [i, name] of outputNames.entries()) {
        tensors.push(await toWire(name, parts[i]!, model.getLayer(name).getClassName()));
      }
      return { arch: meta.arch, ...image, available, tensors };
    } finally {
      for (const p of parts) tf.dispose([p.meanAbs, ...(p.values ? [p.values] : [])]);
    }
  } finally {
    model.dispose();
  }
}

function levelOf(name: string): number {
  return parseIntermediateName(name)?.level ?? 0;
}

/** Cuts the padding off a [1, H', W', C] map and keeps its first channels and mean |x|. */
function cropAndCap(t: tf.Tensor4D, level: number, image: Size, maxChannels: number): Parts {
  const stride = 2 ** level;
  const [h, w, c] = [Math.ceil(image.height / stride), Math.ceil(image.width / stride), t.shape[3]];
  const cropped = tf.slice(t, [0, 0, 0, 0], [1, h, w, c]);
  const sent = Math.min(c, maxChannels);
  return {
    values: sent > 0 ? tf.slice(cropped, [0, 0, 0, 0], [1, h, w, sent]) : undefined,
    meanAbs: tf.mean(tf.abs(cropped), -1, true),
    channels: c,
  };
}

const FUSIONS: Record<string, IntermediateTensor['fusion']> = { Concatenate: 'concat', Add: 'add' };

/** Reads the parts back (they stay the caller's to dispose). */
async function toWire(name: string, parts: Parts, layerClass: string): Promise<IntermediateTensor> {
  const parsed = parseIntermediateName(name)!;
  const role = parsed.role as IntermediateRole;
  const [, h, w] = parts.meanAbs.shape;
  const values = parts.values ? await readOwned(parts.values) : new Float32Array(0);
  return {
    name,
    role,
    level: parsed.level,
    fusion: role === 'fused' ? (FUSIONS[layerClass] ?? null) : null,
    shape: [1, h, w, parts.channels],
    channelsSent: parts.values?.shape[3] ?? 0,
    values,
    meanAbs: await readOwned(parts.meanAbs),
  };
}

/**
 * A float32 tensor's values in an array that owns its buffer: structured clone sends the whole
 * buffer under a view, and a backend may hand out views of larger ones.
 */
async function readOwned(t: tf.Tensor): Promise<Float32Array> {
  const a = (await t.data()) as Float32Array;
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

interface Size {
  width: number;
  height: number;
}

/** [H×W×C] to [H'×W'×C], the right and bottom filled by mirroring the image. */
function padReflect(image: Float32Array, from: Size, to: Size, channels: number): Float32Array {
  if (from.width === to.width && from.height === to.height) return image;
  const out = new Float32Array(to.width * to.height * channels);
  for (let y = 0; y < to.height; y++) {
    const sy = reflectIndex(y, from.height);
    for (let x = 0; x < to.width; x++) {
      const src = (sy * from.width + reflectIndex(x, from.width)) * channels;
      out.set(image.subarray(src, src + channels), (y * to.width + x) * channels);
    }
  }
  return out;
}

function checkPixels(p: PixelData): PixelData {
  const isSide = (v: number) => Number.isInteger(v) && v > 0;
  const isShape = isSide(p.width) && isSide(p.height) && [1, 2, 3, 4].includes(p.channels);
  if (!isShape || p.data.length !== p.width * p.height * p.channels) {
    const shape = `${p.width}×${p.height}×${p.channels}`;
    const why = `pixels: ${p.data.length} samples are no ${shape} image`;
    throw new IntermediatesError('BAD_IMAGE', why);
  }
  return p;
}

/**
 * Refuses an image whose forward pass would not fit the budget: predict's own peak, plus every
 * asked-for intermediate, which stays alive to the end alongside its cropped copy.
 */
function checkMemory(
  meta: ModelMeta,
  view: tf.LayersModel,
  padded: Size,
  image: Size,
  backend: BackendId,
): void {
  const { arch, classes, inputChannels, base, depth, norm } = meta;
  const footprint = footprintFor(arch, { classes, inputChannels, base, depth, norm });
  const forward = inferenceBytes(footprint, 1, padded.width, padded.height);
  const pixels = padded.width * padded.height;
  let kept = 0;
  view.outputs.slice(1).forEach((out, i) => {
    const stride = 2 ** levelOf(view.outputNames[i + 1]!);
    kept += (2 * 4 * pixels * (out.shape[3] ?? 0)) / (stride * stride);
  });
  const total = forward.total + kept;
  const budget = memoryBudget(backend);
  if (total <= budget.bytes) return;
  const fixed = forward.total - forward.activations;
  const side = Math.floor(Math.sqrt((budget.bytes - fixed) / ((total - fixed) / pixels)));
  const need = `the intermediates of this ${image.width}×${image.height} image need about`;
  const have = `the ${formatBytes(budget.bytes)} the ${backend} backend has (${budget.why})`;
  const crop = `send a crop of at most ${side}×${side} pixels`;
  const why = `${need} ${formatBytes(total)}, more than ${have}; ${crop}`;
  throw new MemoryBudgetError('TOO_BIG_FOR_MEMORY', why);
}
