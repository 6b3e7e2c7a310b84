/**
 * Group normalisation (Wu & He, 2018) as a tfjs layer: normalises each sample over H, W and a
 * group of channels, so unlike batch norm it behaves the same for a batch of 1 as of 32 —
 * which is what fine-tuning on a handful of labelled tiles gives us.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface GroupNormalizationArgs extends LayerArgs {
  /**
   * Number of channel groups. Default 8. When the channel count is not a multiple, the layer
   * uses the largest divisor of it that is ≤ groups (so 4 channels give 4 groups of 1).
   */
  groups?: number;
  /** Added to the variance before the square root, for stability. Default 1e-5. */
  epsilon?: number;
}

/** Largest divisor of `channels` that is at most `groups`. */
export function effectiveGroups(channels: number, groups: number): number {
  for (let g = Math.min(groups, channels); g > 1; g--) {
    if (channels % g === 0) return g;
  }
  return 1;
}

/**
 * Input [N, H, W, C] (NHWC, any H, W), output the same shape. Learns gamma (init 1) and beta
 * (init 0), one of each per channel, applied after normalising.
 */
export class GroupNormalization extends tf.layers.Layer {
  static readonly className = 'GroupNormalization';
  readonly groups: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 8;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error('GroupNormalization needs a known channel count');
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (!this.gamma || !this.beta) throw new Error('GroupNormalization used before build');
      const [n, h, w, c] = x.shape;
      const g = effectiveGroups(c, this.groups);

      // Statistics per sample and group: reduce over H, W and the channels within the group.
      const grouped = x.reshape([n, h, w, g, c / g]);
      const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
      const normalised = grouped.sub(mean).mul(tf.rsqrt(variance.add(this.epsilon)));

      return normalised.reshape(x.shape).mul(this.gamma.read()).add(this.beta.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(GroupNormalization);

/** Builds a GroupNormalization layer, in the style of the `tf.layers.*` factories. */
export function groupNormalization(args?: GroupNormalizationArgs): GroupNormalization {
  return new GroupNormalization(args);
}
