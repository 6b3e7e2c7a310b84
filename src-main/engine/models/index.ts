/**
 * The architecture catalogue: five segmentation nets that differ in where their skips are and
 * how they fuse, built with the tf.layers functional API. All take NHWC float32 images of any
 * H, W divisible by 2^depth ([N, H, W, inputChannels]) and return softmax probabilities
 * [N, H, W, classes]. The caller owns each model and disposes it.
 */
import type * as tf from '@tensorflow/tfjs';
import { resolveConfig, type ArchId, type ModelConfig } from './config';
import { multiplyAdds } from './cost';
import { buildDeepLabV3Plus } from './deeplabv3plus';
import { buildEncDec } from './encdec';
import { buildFcn8s } from './fcn8s';
import { buildUNet } from './unet';
import { buildUNetRes } from './unetRes';

export type { ArchId, ModelConfig, NormKind, SkipRole } from './config';
export { MODEL_DEFAULTS, OUTPUT_NAME, decoderName, skipName } from './config';
export { countParams, multiplyAdds } from './cost';
export { atrousRatesOf, outputStrideOf } from './deeplabv3plus';
export { GroupNormalization, groupNormalization } from './groupNorm';
export { intermediateNames, parseIntermediateName, withIntermediates } from './intermediates';
export { SpatialBroadcast } from './SpatialBroadcast';

export interface Architecture {
  /** Name for menus and charts. */
  label: string;
  /** One sentence: where the skips are and how they fuse. */
  skips: string;
  /** Builds an untrained model from a complete config. */
  build(cfg: ModelConfig): tf.LayersModel;
}

/** Every architecture, by id; `build` is also reachable through `buildModel`. */
export const ARCHITECTURES: Record<ArchId, Architecture> = {
  encdec: {
    label: 'Encoder–decoder (no skips)',
    skips:
      'None: the decoder upsamples only the bottleneck feature, so fine detail lost by pooling ' +
      'cannot come back.',
    build: buildEncDec,
  },
  unet: {
    label: 'U-Net',
    skips:
      'At every level, the encoder feature is concatenated with the upsampled decoder feature ' +
      'and two 3×3 convs fuse them.',
    build: buildUNet,
  },
  'unet-res': {
    label: 'Residual U-Net (additive skips)',
    skips:
      'At every level, the decoder feature is upsampled and projected to the encoder ' +
      "feature's channels and added to it, then refined by a residual block.",
    build: buildUNetRes,
  },
  fcn8s: {
    label: 'FCN-8s',
    skips:
      'Class scores from the last stage are upsampled 2× and added to scores of the two ' +
      'preceding pooled stages in turn, then upsampled bilinearly to the input size.',
    build: buildFcn8s,
  },
  deeplabv3plus: {
    label: 'DeepLabV3+',
    skips:
      'One skip at stride 4: the ASPP output, upsampled, is concatenated with 1×1-projected ' +
      'low-level encoder features and fused by two 3×3 convs.',
    build: buildDeepLabV3Plus,
  },
};

/**
 * Builds an untrained `arch`, with defaults (base 16, depth 4, batch norm) for what `cfg`
 * leaves out. Throws an AppError with code 'BAD_MODEL_CONFIG' for a config it cannot build.
 * The caller owns the model and disposes it.
 */
export function buildModel(
  arch: ArchId,
  cfg: Partial<ModelConfig> & { classes: number; inputChannels: number },
): tf.LayersModel {
  return ARCHITECTURES[arch].build(resolveConfig(cfg));
}

/**
 * Estimated GFLOPs (2 × multiply-adds of convs, transposed convs and dense layers, in 1e9) of
 * one forward pass on a size × size image. Builds a throwaway model at that size.
 */
export function gflopsPerImage(
  arch: ArchId,
  cfg: Partial<ModelConfig> & { classes: number; inputChannels: number },
  size: number,
): number {
  const model = buildModel(arch, { ...cfg, inputSize: size });
  try {
    return (2 * multiplyAdds(model)) / 1e9;
  } finally {
    model.dispose();
  }
}
