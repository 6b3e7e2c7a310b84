/**
 * DeepLabV3+ (Chen et al., 2018) on a small VGG-style atrous encoder.
 *
 * Encoder: `depth` + 1 stages of two 3×3 convs (widths base·2^level). Stages stride 2 (max
 * pool) until the output stride OS (8 or 16, at most 2^depth) is reached; later stages keep
 * the resolution and double the dilation instead, so they see as far without losing *where*.
 *
 * ASPP on the last feature (stride OS): a 1×1 conv, three 3×3 convs with dilation rates
 * r1/r2/r3, and image pooling (global average → 1×1 conv → broadcast back over the feature
 * map), each 8·base wide, concatenated and projected by a 1×1 conv to 8·base channels. The
 * paper's rates 6/12/18 are for OS 16 on 513-pixel crops (33×33 features); by default we scale
 * them to the tile (inputSize, else 256): 256-pixel tiles give 3/6/9 at OS 16, 6/12/18 at OS 8.
 *
 * Skip: one, at level L = log2(min(4, OS/2)) — stride 4 as in the paper once OS ≥ 8. The ASPP
 * output is upsampled bilinearly by OS / 2^L (F_d); the encoder feature at stride 2^L is
 * projected by a 1×1 conv-norm-ReLU to 3·base channels (48 at base 16, the paper's count) so it
 * cannot drown F_d (F_e); the two are concatenated and two 3×3 convs (8·base) fuse them. Class
 * scores are then upsampled bilinearly by 2^L to the input size.
 *
 * Intermediates at level L: `skip{L}/encoder` (projected F_e), `skip{L}/upsampled` (F_d) and
 * `skip{L}/fused` (the concatenation). The image-pooling branch has no norm: after pooling,
 * batch norm would see one value per image per channel, and none at batch size 1.
 */
import * as tf from '@tensorflow/tfjs';
import {
  applyTo,
  channelsOf,
  classScores,
  convNormRelu,
  doubleConv,
  maxPool,
  modelInput,
  probabilities,
  upBilinear,
  type Sym,
} from './blocks';
import { skipName, stageWidth, type ModelConfig } from './config';
import { SpatialBroadcast } from './SpatialBroadcast';

/** Output stride actually used: the requested one, capped by the 2^depth the encoder can reach. */
export function outputStrideOf(cfg: ModelConfig): number {
  return Math.min(cfg.outputStride ?? 16, 2 ** cfg.depth);
}

/** ASPP's three dilation rates for this config, in feature-map pixels (≥ 1). */
export function atrousRatesOf(cfg: ModelConfig): [number, number, number] {
  if (cfg.atrousRates) return [...cfg.atrousRates];
  const scale = (16 / outputStrideOf(cfg)) * ((cfg.inputSize ?? 256) / 512);
  const rate = (paper: number) => Math.max(1, Math.round(paper * scale));
  return [rate(6), rate(12), rate(18)];
}

function atrousSpatialPyramid(x: Sym, cfg: ModelConfig): Sym {
  const width = 8 * cfg.base;
  const dilated = cfg.dilation ?? true;
  const branches = [convNormRelu(x, width, cfg, { kernel: 1 })];
  for (const rate of atrousRatesOf(cfg)) {
    branches.push(convNormRelu(x, width, cfg, { dilation: dilated ? rate : 1 }));
  }

  const pooled = applyTo(tf.layers.globalAveragePooling2d({}), x);
  const asMap = applyTo(tf.layers.reshape({ targetShape: [1, 1, channelsOf(x)] }), pooled);
  const imageLevel = applyTo(
    tf.layers.conv2d({ filters: width, kernelSize: 1, activation: 'relu' }),
    asMap,
  );
  branches.push(applyTo(new SpatialBroadcast(), [imageLevel, x]));

  const concat = applyTo(tf.layers.concatenate({ axis: -1 }), branches);
  return convNormRelu(concat, width, cfg, { kernel: 1 });
}

export function buildDeepLabV3Plus(cfg: ModelConfig): tf.LayersModel {
  const image = modelInput(cfg);
  const outputStride = outputStrideOf(cfg);
  const skipLevel = Math.log2(Math.min(4, outputStride / 2));
  const dilated = cfg.dilation ?? true;

  const features: Sym[] = [];
  let x = image;
  let stride = 1;
  let rate = 1;
  for (let level = 0; level <= cfg.depth; level++) {
    if (level > 0 && stride < outputStride) {
      x = maxPool(x);
      stride *= 2;
    } else if (level > 0) {
      rate *= 2;
    }
    x = doubleConv(x, stageWidth(cfg, level), cfg, { dilation: dilated ? rate : 1 });
    features.push(x);
  }

  const low = features[skipLevel];
  if (!low) throw new Error(`no encoder feature at level ${skipLevel}`);
  const encoder = convNormRelu(low, 3 * cfg.base, cfg, {
    kernel: 1,
    name: skipName(skipLevel, 'encoder'),
  });
  const upFactor = outputStride / 2 ** skipLevel;
  const up = upBilinear(atrousSpatialPyramid(x, cfg), upFactor, skipName(skipLevel, 'upsampled'));
  const concat = tf.layers.concatenate({ axis: -1, name: skipName(skipLevel, 'fused') });
  const fused = applyTo(concat, [encoder, up]);

  const decoded = doubleConv(fused, 8 * cfg.base, cfg);
  const scores = upBilinear(classScores(decoded, cfg.classes), 2 ** skipLevel);
  return tf.model({ inputs: image, outputs: probabilities(scores), name: 'deeplabv3plus' });
}
