/**
 * The shape of every architecture in the catalogue: one config, its defaults, its checks, and
 * the layer names the comparison view fetches intermediates by.
 */
import { AppError } from '../../../shared/errors';

/** The architectures in the catalogue (see index.ts). */
export type ArchId = 'encdec' | 'unet' | 'unet-res' | 'fcn8s' | 'deeplabv3plus';

/** How each conv block normalises before its ReLU. */
export type NormKind = 'batch' | 'group' | 'none';

/** What the comparison view can ask for at a skip: the two tensors fused and their fusion. */
export type SkipRole = 'encoder' | 'upsampled' | 'fused';

export interface ModelConfig {
  /**
   * Output channels, background included; at least 2. The model ends in a softmax over them,
   * so its output is probabilities of shape [N, H, W, classes].
   */
  classes: number;
  /** Input channels: 1 for grey, 3 for RGB. Input is NHWC float32, [N, H, W, inputChannels]. */
  inputChannels: number;
  /**
   * Width (filters) of the first, full-resolution stage. Stage i has `base * 2^i` filters, so
   * the deepest stage of a depth-4 net has 16 × base. Default 16.
   */
  base: number;
  /**
   * Number of 2× downsamplings; H and W must be divisible by 2^depth. Default 4. FCN-8s needs
   * at least 2; DeepLabV3+ stops striding at its output stride and dilates instead.
   */
  depth: number;
  /** Normalisation after each conv: batch norm, group norm (8 groups), or none. Default 'batch'. */
  norm: NormKind;
  /**
   * Fixed tile side in pixels, or null for any H, W divisible by 2^depth. Every architecture
   * here is fully convolutional, so this only fixes the symbolic shapes (cost estimates use it).
   * Default null.
   */
  inputSize?: number | null;
  /**
   * DeepLabV3+ only: how many input pixels one pixel of the atrous encoder's output spans
   * along each axis; capped at 2^depth. Default 16.
   */
  outputStride?: 8 | 16;
  /**
   * DeepLabV3+ only: dilation rates of ASPP's three 3×3 branches, in feature-map pixels. Default
   * the paper's 6/12/18 scaled to the output stride and tile size (see deeplabv3plus.ts).
   */
  atrousRates?: readonly [number, number, number];
  /**
   * DeepLabV3+ only: false replaces every dilated conv by a plain 3×3 conv. For backends with no
   * gradient for dilated convs (tfjs-core's Conv2D gradient refuses dilation > 1). Default true.
   */
  dilation?: boolean;
}

export const MODEL_DEFAULTS = { base: 16, depth: 4, norm: 'batch' } as const;

export type ModelConfigError = AppError<'BAD_MODEL_CONFIG'>;

function bad(message: string): ModelConfigError {
  return new AppError('BAD_MODEL_CONFIG', message);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Fills in defaults and checks ranges; throws an AppError with code 'BAD_MODEL_CONFIG'. */
export function resolveConfig(
  cfg: Partial<ModelConfig> & Pick<ModelConfig, 'classes' | 'inputChannels'>,
): ModelConfig {
  // Spelled out rather than spread, so that an explicit `undefined` still gets the default.
  const full: ModelConfig = {
    ...cfg,
    base: cfg.base ?? MODEL_DEFAULTS.base,
    depth: cfg.depth ?? MODEL_DEFAULTS.depth,
    norm: cfg.norm ?? MODEL_DEFAULTS.norm,
  };
  if (!isPositiveInt(full.classes) || full.classes < 2) {
    throw bad(`classes must be an integer ≥ 2 (background included), got ${full.classes}`);
  }
  if (!isPositiveInt(full.inputChannels)) {
    throw bad(`inputChannels must be a positive integer, got ${full.inputChannels}`);
  }
  if (!isPositiveInt(full.base)) throw bad(`base must be a positive integer, got ${full.base}`);
  if (!isPositiveInt(full.depth) || full.depth > 8) {
    throw bad(`depth must be an integer from 1 to 8, got ${full.depth}`);
  }
  if (!['batch', 'group', 'none'].includes(full.norm)) throw bad(`unknown norm '${full.norm}'`);
  const size = full.inputSize;
  if (size != null && (!isPositiveInt(size) || size % 2 ** full.depth !== 0)) {
    throw bad(`inputSize ${size} must be a positive multiple of 2^depth = ${2 ** full.depth}`);
  }
  if (full.outputStride != null && full.outputStride !== 8 && full.outputStride !== 16) {
    throw bad(`outputStride must be 8 or 16, got ${full.outputStride}`);
  }
  const rates = full.atrousRates;
  if (rates != null && (rates.length !== 3 || !rates.every(isPositiveInt))) {
    throw bad(`atrousRates must be three positive integers, got ${JSON.stringify(rates)}`);
  }
  return full;
}

/** Filters of stage `level` (the stage working at stride 2^level). */
export function stageWidth(cfg: ModelConfig, level: number): number {
  return cfg.base * 2 ** level;
}

/**
 * Name of an intermediate at a skip. `level` is the skip's resolution level: its feature maps
 * are at stride 2^level, i.e. H / 2^level × W / 2^level.
 */
export function skipName(level: number, role: SkipRole): string {
  return `skip${level}/${role}`;
}

/** Name of the encoder–decoder's (skip-less) decoder tensors at `level`. */
export function decoderName(level: number, role: 'upsampled' | 'features'): string {
  return `decoder${level}/${role}`;
}

/** Name of the final softmax layer of every architecture. */
export const OUTPUT_NAME = 'probabilities';
