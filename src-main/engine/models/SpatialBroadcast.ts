/**
 * Spreads a per-image vector over a feature map's H × W: DeepLabV3+'s image-pooling branch.
 * UpSampling2D would need the feature size at build time; this reads it from the second input
 * when called, so the model stays fully convolutional.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * Inputs `[pooled, like]`: pooled [N, 1, 1, C] and any feature map like [N, H, W, C']. Output
 * [N, H, W, C], every pixel a copy of pooled. No weights; gradients sum back over H × W.
 */
export class SpatialBroadcast extends tf.layers.Layer {
  static readonly className = 'SpatialBroadcast';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [pooled, like] = inputShape as tf.Shape[];
    if (!pooled || !like) throw new Error('SpatialBroadcast takes [pooled, like]');
    return [pooled[0] ?? null, like[1] ?? null, like[2] ?? null, pooled[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const [pooled, like] = inputs as tf.Tensor4D[];
      if (!pooled || !like) throw new Error('SpatialBroadcast takes [pooled, like]');
      const [n, h, w] = like.shape;
      return tf.broadcastTo(pooled, [n, h, w, pooled.shape[3]]);
    });
  }
}

tf.serialization.registerClass(SpatialBroadcast);
