/**
 * Tile and batch for inference where the backend caps each tensor (WebGPU keeps a tensor in
 * one buffer bound whole to a shader): fewer tiles per pass first, then smaller tiles, so
 * that the largest layer output of a pass fits one buffer.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelMeta } from '../../shared/modelMeta';
import { footprintFor, formatBytes, largestTensorBytes } from './memory';
import { MemoryBudgetError, memoryBudget } from './memoryBudget';

type Shape = Pick<ModelMeta, 'arch' | 'classes' | 'inputChannels' | 'base' | 'depth' | 'norm'>;

const largestPerPixel = new Map<string, number>();

/** Elements of the model's largest layer output per input pixel; one throwaway build per shape. */
function perPixel(meta: Shape): number {
  const { arch, classes, inputChannels, base, depth, norm } = meta;
  const key = JSON.stringify([arch, classes, inputChannels, base, depth, norm]);
  let value = largestPerPixel.get(key);
  if (value === undefined) {
    value = footprintFor(arch, { classes, inputChannels, base, depth, norm }).largestPerPixel;
    largestPerPixel.set(key, value);
  }
  return value;
}

/**
 * The `tile` and `batch` to predict with on the active backend: as asked where nothing caps
 * a tensor, else the largest batch and then tile (a multiple of 2^depth) whose largest
 * tensor fits. Throws MemoryBudgetError when not even one smallest tile fits.
 */
export function fitInference(
  meta: Shape,
  tile: number,
  batch: number,
): { tile: number; batch: number } {
  if (tf.getBackend() !== 'webgpu') return { tile, batch };
  const cap = memoryBudget('webgpu').maxTensorBytes;
  if (cap === undefined) return { tile, batch };
  const fp = { largestPerPixel: perPixel(meta) };
  const fits = (b: number, t: number) => largestTensorBytes(fp, b, t) <= cap;
  for (let b = batch; b >= 1; b--) if (fits(b, tile)) return { tile, batch: b };
  const step = 2 ** meta.depth;
  for (let t = tile - step; t >= step; t -= step) if (fits(1, t)) return { tile: t, batch: 1 };
  const need = formatBytes(largestTensorBytes(fp, 1, step));
  throw new MemoryBudgetError(
    'TOO_BIG_FOR_MEMORY',
    `one ${step}×${step} tile of ${meta.arch} makes a tensor of about ${need}, larger than ` +
      `the ${formatBytes(cap)} one WebGPU buffer holds here; lower the model's base`,
  );
}
