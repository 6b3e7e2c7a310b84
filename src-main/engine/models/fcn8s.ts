/**
 * FCN-8s (Long, Shelhamer & Darrell, 2015), on a VGG-style encoder of `depth` stages.
 *
 * Skips: two, fused by adding *class scores*, not features. The deepest feature (after the
 * last pool and a two-conv stage standing in for fc6/fc7, stride 2^depth) is scored by a 1×1
 * conv to `classes` channels. Those scores are upsampled 2× (4×4 transposed conv, stride 2,
 * learned, as in the paper) and added to 1×1-conv scores of the pooled feature at stride
 * 2^(depth−1) ("pool4"); the sum is upsampled 2× again and added to scores of the feature at
 * stride 2^(depth−2) ("pool3"). A fixed bilinear 2^(depth−2)× upsampling brings the result to
 * input size. Only `classes` channels cross each skip, so the skips are cheap but can refine
 * only the scores, not what the decoder computes.
 *
 * Depth: the paper's VGG16 is depth 5 (scores at 32, skips at 16 and 8, final ×8); depth 4,
 * our default, gives 16 / 8 / 4 and a final ×4. At depth 2 the finer "pool" would be the raw
 * image, so the level-0 conv stage's output is scored instead. Depth 1 is refused.
 *
 * Intermediates at levels depth−1 and depth−2 (stride 2^level): `skip{level}/encoder` (scores
 * of the encoder feature), `skip{level}/upsampled` (coarser scores, upsampled) and
 * `skip{level}/fused` (their sum). All have `classes` channels.
 */
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/errors';
import {
  applyTo,
  classScores,
  doubleConv,
  maxPool,
  modelInput,
  probabilities,
  upBilinear,
  type Sym,
} from './blocks';
import { skipName, stageWidth, type ModelConfig } from './config';

export function buildFcn8s(cfg: ModelConfig): tf.LayersModel {
  if (cfg.depth < 2) {
    throw new AppError('BAD_MODEL_CONFIG', `FCN-8s needs depth ≥ 2 for its two skips`);
  }
  const image = modelInput(cfg);

  // byStride[k]: the encoder feature at stride 2^k that a skip at level k would score.
  const byStride: Sym[] = [];
  let x = image;
  for (let level = 0; level < cfg.depth; level++) {
    const block = doubleConv(x, stageWidth(cfg, level), cfg);
    if (level === 0) byStride.push(block);
    x = maxPool(block);
    byStride.push(x);
  }
  x = doubleConv(x, stageWidth(cfg, cfg.depth), cfg);

  let scores = classScores(x, cfg.classes);
  for (const level of [cfg.depth - 1, cfg.depth - 2]) {
    const feature = byStride[level];
    if (!feature) throw new Error(`no encoder feature at stride 2^${level}`);
    const encoder = classScores(feature, cfg.classes, skipName(level, 'encoder'));
    const up = applyTo(
      tf.layers.conv2dTranspose({
        filters: cfg.classes,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        name: skipName(level, 'upsampled'),
      }),
      scores,
    );
    scores = applyTo(tf.layers.add({ name: skipName(level, 'fused') }), [encoder, up]);
  }

  const output = probabilities(upBilinear(scores, 2 ** (cfg.depth - 2)));
  return tf.model({ inputs: image, outputs: output, name: 'fcn8s' });
}
