/**
 * A 'same'-padded, stride-1 dilated (atrous) convolution without bias, for DeepLabV3+.
 *
 * tf.layers.conv2d runs as a fused conv whose built-in gradient refuses dilation rates
 * above 1 on every backend. This layer calls the plain conv2d op instead, whose gradient
 * SkipSeg registers with dilation support (src-main/engine/gradients.ts).
 */
import * as tf from '@tensorflow/tfjs';

interface AtrousArgs {
  filters: number;
  kernelSize: number;
  dilation: number;
  name?: string;
}

export class AtrousConv2D extends tf.layers.Layer {
  static readonly className = 'AtrousConv2D';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly dilation: number;
  private kernel: tf.LayerVariable | null = null;

  constructor(args: AtrousArgs) {
    super(args.name ? { name: args.name } : {});
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.dilation = args.dilation;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number') throw new Error('AtrousConv2D needs a known channel count');
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      'kernel',
      [k, k, channels, this.filters],
      'float32',
      tf.initializers.heNormal({}),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const kernel = this.kernel!.read() as tf.Tensor4D;
      return tf.conv2d(x, kernel, 1, 'same', 'NHWC', this.dilation);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilation: this.dilation,
    };
  }
}

tf.serialization.registerClass(AtrousConv2D);
