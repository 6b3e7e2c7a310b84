/**
 * U-Net (Ronneberger et al., 2015).
 *
 * Skips: one at every level i = 0 … depth−1, i.e. at strides 1, 2, …, 2^(depth−1). The
 * encoder feature F_e (output of level i's two 3×3 convs, before pooling, base·2^i channels)
 * is concatenated along channels with the upsampled decoder feature F_d (a 2×2 transposed
 * conv from level i+1, also base·2^i channels), and two 3×3 conv-norm-ReLU fuse the
 * 2·base·2^i channels back to base·2^i. The decoder thus sees the encoder's full-resolution
 * *where* next to the bottleneck's *what*, and learns how to weigh them.
 *
 * Intermediates at level i: `skip{i}/encoder` (F_e), `skip{i}/upsampled` (F_d) and
 * `skip{i}/fused` (the concatenation [F_e, F_d], before the two convs).
 */
import * as tf from '@tensorflow/tfjs';
import {
  applyTo,
  classScores,
  doubleConv,
  maxPool,
  modelInput,
  probabilities,
  upConv,
  type Sym,
} from './blocks';
import { skipName, stageWidth, type ModelConfig } from './config';

export function buildUNet(cfg: ModelConfig): tf.LayersModel {
  const image = modelInput(cfg);

  const encoderFeatures: Sym[] = [];
  let x = image;
  for (let level = 0; level < cfg.depth; level++) {
    const feature = doubleConv(x, stageWidth(cfg, level), cfg, {
      name: skipName(level, 'encoder'),
    });
    encoderFeatures.push(feature);
    x = maxPool(feature);
  }
  x = doubleConv(x, stageWidth(cfg, cfg.depth), cfg);

  for (let level = cfg.depth - 1; level >= 0; level--) {
    const width = stageWidth(cfg, level);
    const encoder = encoderFeatures[level];
    if (!encoder) throw new Error(`no encoder feature at level ${level}`);
    const up = upConv(x, width, skipName(level, 'upsampled'));
    const concat = tf.layers.concatenate({ axis: -1, name: skipName(level, 'fused') });
    x = doubleConv(applyTo(concat, [encoder, up]), width, cfg);
  }

  const output = probabilities(classScores(x, cfg.classes));
  return tf.model({ inputs: image, outputs: output, name: 'unet' });
}
