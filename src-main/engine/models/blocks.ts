/**
 * The building blocks the five architectures share, so that a comparison between them changes
 * only the skips and their fusion, not the convs around them. All NHWC, 'same' padding.
 */
import * as tf from '@tensorflow/tfjs';
import { AtrousConv2D } from './AtrousConv2D';
import { batchNormalization } from './batchNorm';
import { OUTPUT_NAME, type ModelConfig, type NormKind } from './config';
import { groupNormalization } from './groupNorm';

export type Sym = tf.SymbolicTensor;

/** Applies a single-output layer to symbolic input(s). */
export function applyTo(layer: tf.layers.Layer, x: Sym | Sym[]): Sym {
  const out = layer.apply(x);
  if (!(out instanceof tf.SymbolicTensor)) throw new Error(`${layer.name} gave no single output`);
  return out;
}

/** Channel count of a symbolic tensor, which every block here keeps static. */
export function channelsOf(x: Sym): number {
  const c = x.shape[x.shape.length - 1];
  if (c == null) throw new Error(`${x.name} has no static channel count`);
  return c;
}

/** The image input, [N, H, W, inputChannels]; H and W stay open unless inputSize is set. */
export function modelInput(cfg: ModelConfig): Sym {
  const side = cfg.inputSize ?? null;
  return tf.input({ shape: [side, side, cfg.inputChannels], name: 'image' });
}

export function normLayer(norm: NormKind, name?: string): tf.layers.Layer | null {
  switch (norm) {
    // Momentum 0.9 rather than Keras' 0.99: fine-tuning runs for tens of steps, and the moving
    // statistics used at inference would otherwise still be near their initial values.
    case 'batch':
      return batchNormalization({ axis: -1, momentum: 0.9, name });
    case 'group':
      return groupNormalization({ name });
    case 'none':
      return null;
  }
}

export interface ConvArgs {
  /** Square kernel side in pixels. Default 3. */
  kernel?: number;
  /** Dilation rate; 1 is a plain conv. Default 1. */
  dilation?: number;
  /** Whether a ReLU follows the norm. Default true. */
  relu?: boolean;
  /** Name of the block's last layer, so it can be fetched as an intermediate. */
  name?: string;
}

/**
 * conv → norm → ReLU, `name` on whichever comes last. The conv has a bias only without norm
 * (the norm's beta is one).
 */
export function convNormRelu(x: Sym, filters: number, cfg: ModelConfig, args: ConvArgs = {}): Sym {
  const { kernel = 3, dilation = 1, relu = true, name } = args;
  const norm = normLayer(cfg.norm, relu ? undefined : name);
  const convName = relu || norm ? undefined : name;
  // Dilated convs need a gradient the fused conv of tf.layers.conv2d refuses to give.
  const conv =
    dilation > 1 && norm
      ? new AtrousConv2D({
          filters,
          kernelSize: kernel,
          dilation,
          ...(convName ? { name: convName } : {}),
        })
      : tf.layers.conv2d({
          filters,
          kernelSize: kernel,
          padding: 'same',
          dilationRate: dilation,
          useBias: !norm,
          kernelInitializer: 'heNormal',
          name: convName,
        });
  let y = applyTo(conv, x);
  if (norm) y = applyTo(norm, y);
  if (relu) y = applyTo(tf.layers.reLU({ name }), y);
  return y;
}

/** Two 3×3 conv-norm-ReLU, the classic U-Net / VGG stage; `name` goes on the last ReLU. */
export function doubleConv(x: Sym, filters: number, cfg: ModelConfig, args: ConvArgs = {}): Sym {
  const { dilation = 1, name } = args;
  const y = convNormRelu(x, filters, cfg, { dilation });
  return convNormRelu(y, filters, cfg, { dilation, name });
}

/**
 * ResNet basic block: conv-norm-ReLU-conv-norm, plus the input (through a 1×1 conv-norm
 * projection when the channel count changes), then ReLU; `name` goes on that ReLU.
 */
export function residualBlock(x: Sym, filters: number, cfg: ModelConfig, name?: string): Sym {
  const y = convNormRelu(convNormRelu(x, filters, cfg), filters, cfg, { relu: false });
  const shortcut =
    channelsOf(x) === filters ? x : convNormRelu(x, filters, cfg, { kernel: 1, relu: false });
  const sum = applyTo(tf.layers.add(), [y, shortcut]);
  return applyTo(tf.layers.reLU({ name }), sum);
}

export function maxPool(x: Sym): Sym {
  return applyTo(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }), x);
}

/** Learned 2× upsampling: a 2×2 transposed conv with stride 2, linear, to `filters` channels. */
export function upConv(x: Sym, filters: number, name?: string): Sym {
  const layer = tf.layers.conv2dTranspose({
    filters,
    kernelSize: 2,
    strides: 2,
    padding: 'same',
    kernelInitializer: 'heNormal',
    name,
  });
  return applyTo(layer, x);
}

/** Fixed bilinear upsampling by an integer factor; the identity for factor 1. */
export function upBilinear(x: Sym, factor: number, name?: string): Sym {
  if (factor === 1) return x;
  const layer = tf.layers.upSampling2d({ size: [factor, factor], interpolation: 'bilinear', name });
  return applyTo(layer, x);
}

/** 1×1 conv to class scores (logits), [N, H, W, classes]. */
export function classScores(x: Sym, classes: number, name?: string): Sym {
  return applyTo(tf.layers.conv2d({ filters: classes, kernelSize: 1, name }), x);
}

/** Softmax over the class axis: the model's output, named OUTPUT_NAME. */
export function probabilities(scores: Sym): Sym {
  return applyTo(tf.layers.softmax({ axis: -1, name: OUTPUT_NAME }), scores);
}
