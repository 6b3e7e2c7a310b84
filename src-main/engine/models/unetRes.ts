/**
 * Residual U-Net: U-Net's shape with ResNet basic blocks and additive skips.
 *
 * Skips: one at every level i = 0 … depth−1 (strides 1 … 2^(depth−1)), as in `unet.ts`, but
 * fused by addition. The decoder feature from level i+1 is upsampled and projected to F_e's
 * base·2^i channels in one step (a 2×2 transposed conv with stride 2 — per output pixel, a
 * linear map of one input pixel) and added to the encoder feature F_e; one residual block then
 * refines the sum. Addition keeps the decoder as narrow as the encoder (its first conv at each
 * level reads base·2^i channels where U-Net's reads twice that), but it forces both features
 * into one space instead of letting convs learn how to weigh them.
 *
 * Each block: conv3×3-norm-ReLU-conv3×3-norm, plus the input through a 1×1 conv-norm
 * projection when the channel count changes (identity otherwise), then ReLU.
 *
 * Intermediates at level i: `skip{i}/encoder` (F_e), `skip{i}/upsampled` (projected F_d) and
 * `skip{i}/fused` (F_e + F_d, before the residual block).
 */
import * as tf from '@tensorflow/tfjs';
import {
  applyTo,
  classScores,
  maxPool,
  modelInput,
  probabilities,
  residualBlock,
  upConv,
  type Sym,
} from './blocks';
import { skipName, stageWidth, type ModelConfig } from './config';

export function buildUNetRes(cfg: ModelConfig): tf.LayersModel {
  const image = modelInput(cfg);

  const encoderFeatures: Sym[] = [];
  let x = image;
  for (let level = 0; level < cfg.depth; level++) {
    const feature = residualBlock(x, stageWidth(cfg, level), cfg, skipName(level, 'encoder'));
    encoderFeatures.push(feature);
    x = maxPool(feature);
  }
  x = residualBlock(x, stageWidth(cfg, cfg.depth), cfg);

  for (let level = cfg.depth - 1; level >= 0; level--) {
    const width = stageWidth(cfg, level);
    const encoder = encoderFeatures[level];
    if (!encoder) throw new Error(`no encoder feature at level ${level}`);
    const up = upConv(x, width, skipName(level, 'upsampled'));
    const sum = applyTo(tf.layers.add({ name: skipName(level, 'fused') }), [encoder, up]);
    x = residualBlock(sum, width, cfg);
  }

  const output = probabilities(classScores(x, cfg.classes));
  return tf.model({ inputs: image, outputs: output, name: 'unet-res' });
}
