/**
 * The 'propose' job: a model's mask for each listed image, written as an 8-bit PNG of class
 * ids, with how sure the model was. Each image is reported as it lands, so the app can show
 * proposals before the last one is done; a cancel stops between images.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ProposeResult, ProposeSpec, ProposedImage } from '../../shared/engineProtocol';
import { decodeImage, encodeMask } from '../imageio';
import { writeAtomic } from '../project/files';
import { toFloat } from './data';
import { predictImage } from './infer';
import { loadModel } from './modelStore';

/** A pixel whose top class probability is below this counts as uncertain. */
export const UNCERTAIN_BELOW = 0.75;

export interface ProposeHooks {
  onProposed(item: ProposedImage): void;
  isCancelled(): boolean;
  log(message: string): void;
}

/**
 * Scores a prediction from its per-pixel top class probability (H×W, in [0, 1]): the mean,
 * and the share of pixels below {@link UNCERTAIN_BELOW}. An empty map scores 0 and 0.
 */
export function scoreConfidence(confidence: Float32Array): {
  confidence: number;
  uncertainShare: number;
} {
  if (confidence.length === 0) return { confidence: 0, uncertainShare: 0 };
  let sum = 0;
  let uncertain = 0;
  for (const p of confidence) {
    sum += p;
    if (p < UNCERTAIN_BELOW) uncertain++;
  }
  // Clamped: blended tile probabilities can overshoot 1 by a rounding error.
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    confidence: clamp(sum / confidence.length),
    uncertainShare: clamp(uncertain / confidence.length),
  };
}

/** Predicts every item in turn (tiled, as infer.ts does); an unreadable image is skipped. */
export async function runPropose(spec: ProposeSpec, hooks: ProposeHooks): Promise<ProposeResult> {
  const { model, meta } = await loadModel(spec.model);
  const result: ProposeResult = { proposed: [], skipped: [], cancelled: false };
  try {
    for (const item of spec.items) {
      if (hooks.isCancelled()) {
        result.cancelled = true;
        break;
      }
      try {
        const raw = await decodeImage(item.image);
        const image = toFloat(raw, meta.inputChannels);
        const prediction = await predictImage(model, meta, image, raw.width, raw.height);
        await mkdir(dirname(item.out), { recursive: true });
        await writeAtomic(item.out, await encodeMask(prediction.classes, raw.width, raw.height));
        const proposed = {
          key: item.key,
          out: item.out,
          ...scoreConfidence(prediction.confidence),
        };
        result.proposed.push(proposed);
        hooks.onProposed(proposed);
      } catch (err) {
        result.skipped.push({
          key: item.key,
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
  } finally {
    model.dispose();
  }
  const skipped = result.skipped.length ? `, skipped ${result.skipped.length}` : '';
  hooks.log(`proposed masks for ${result.proposed.length} images${skipped}`);
  return result;
}
