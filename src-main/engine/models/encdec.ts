/**
 * Encoder–decoder without skips: the baseline that shows what skips are for.
 *
 * Skips: none. The encoder halves the resolution `depth` times (two 3×3 conv-norm-ReLU, then a
 * 2×2 max pool) and the decoder climbs back (2×2 transposed conv, then two 3×3 convs) using
 * only what survived the bottleneck at stride 2^depth: the *what* of each object, but little
 * of *where* its boundary runs. Same stages and widths as `unet.ts`, so the only difference
 * between the two is the concatenation.
 *
 * Intermediates: at each decoder level i (stride 2^i), `decoder{i}/upsampled` (the transposed
 * conv's output, where U-Net would fuse) and `decoder{i}/features` (the level's conv output).
 */
import * as tf from '@tensorflow/tfjs';
import { classScores, doubleConv, maxPool, modelInput, probabilities, upConv } from './blocks';
import { decoderName, stageWidth, type ModelConfig } from './config';

export function buildEncDec(cfg: ModelConfig): tf.LayersModel {
  const image = modelInput(cfg);

  let x = image;
  for (let level = 0; level < cfg.depth; level++) {
    x = maxPool(doubleConv(x, stageWidth(cfg, level), cfg));
  }
  x = doubleConv(x, stageWidth(cfg, cfg.depth), cfg);

  for (let level = cfg.depth - 1; level >= 0; level--) {
    const width = stageWidth(cfg, level);
    const up = upConv(x, width, decoderName(level, 'upsampled'));
    x = doubleConv(up, width, cfg, { name: decoderName(level, 'features') });
  }

  const output = probabilities(classScores(x, cfg.classes));
  return tf.model({ inputs: image, outputs: output, name: 'encdec' });
}
