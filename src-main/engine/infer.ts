/**
 * Inference on whole images of any size: the image is cut into overlapping tiles (one tile
 * when it fits), run in small batches, and the class probabilities blended back with
 * weights that fade at tile edges, so seams do not show and memory stays bounded.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelMeta } from '../../shared/modelMeta';
import {
  accumulateTile,
  createBlend,
  extractTile,
  finishBlend,
  planTiles,
} from '../../shared/tiling';
import { fitInference } from './inferSize';

export interface Prediction {
  width: number;
  height: number;
  /** H×W argmax class ids. */
  classes: Uint8Array;
  /** H×W probability of the chosen class, in [0, 1]. */
  confidence: Float32Array;
}

export interface PredictOptions {
  /** Tile side in pixels; default: the whole image when its longer side ≤ 1024, else 512. */
  tile?: number;
  /** Tiles per forward pass. Default 4. */
  batch?: number;
}

/** Normalises `image` (H×W×C in [0, 1]) as the model was trained. */
export function normalise(
  image: Float32Array,
  meta: Pick<ModelMeta, 'normalisation'>,
): Float32Array {
  const { mean, std } = meta.normalisation;
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) out[i] = (image[i]! - mean) / std;
  return out;
}

/** The tile side a model of `depth` downsamplings needs: a multiple of 2^depth. */
export function tileFor(size: number, depth: number): number {
  const step = 2 ** depth;
  return Math.max(step, Math.ceil(size / step) * step);
}

export async function predictImage(
  model: tf.LayersModel,
  meta: ModelMeta,
  image: Float32Array,
  width: number,
  height: number,
  options: PredictOptions = {},
): Promise<Prediction> {
  const channels = meta.inputChannels;
  const longest = Math.max(width, height);
  const wanted = tileFor(options.tile ?? (longest <= 1024 ? longest : 512), meta.depth);
  // On WebGPU a pass's largest tensor must fit one buffer.
  const { tile, batch } = fitInference(meta, wanted, options.batch ?? 4);
  const overlap = longest <= tile ? 0 : Math.floor(tile / 8);
  const tiles = planTiles(width, height, tile, overlap);
  const blend = createBlend(width, height, meta.classes, tile, overlap);
  const input = normalise(image, meta);

  for (let start = 0; start < tiles.length; start += batch) {
    const group = tiles.slice(start, start + batch);
    const data = new Float32Array(group.length * tile * tile * channels);
    group.forEach((t, i) =>
      data.set(extractTile(input, width, height, channels, t, tile), i * tile * tile * channels),
    );
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(data, [group.length, tile, tile, channels]);
      return model.predict(x) as tf.Tensor4D;
    });
    // `data()`, not `dataSync()`: GPU backends under Node can only read back asynchronously.
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    const per = tile * tile * meta.classes;
    group.forEach((t, i) => accumulateTile(blend, t, values.subarray(i * per, (i + 1) * per)));
  }

  const probs = finishBlend(blend);
  const classes = new Uint8Array(width * height);
  const confidence = new Float32Array(width * height);
  for (let p = 0; p < classes.length; p++) {
    let best = 0;
    for (let c = 1; c < meta.classes; c++)
      if (probs[p * meta.classes + c]! > probs[p * meta.classes + best]!) best = c;
    classes[p] = best;
    confidence[p] = probs[p * meta.classes + best]!;
  }
  return { width, height, classes, confidence };
}
