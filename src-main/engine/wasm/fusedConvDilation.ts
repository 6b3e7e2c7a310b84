/**
 * Lets `tf.layers.conv2d({ dilationRate })` train. Every 2-D conv layer calls
 * `tf.fused.conv2d`, and while a gradient is being recorded a linear-activation call runs
 * the FusedConv2D kernel under a gradient that asserts dilation rates of 1 (tfjs issue
 * #7906). Non-linear activations already run as plain conv2d + bias + activation there.
 *
 * HACK: tfjs offers no hook into that built-in gradient, so `tf.fused.conv2d` is wrapped:
 * a dilated, linear call made while recording runs as conv2d + bias instead, whose Conv2D
 * gradient SkipSeg registers with dilation support. Inference (no gradient) and every
 * undilated call go to the original untouched.
 */
import * as tf from '@tensorflow/tfjs';

type FusedConv2D = typeof tf.fused.conv2d;
type FusedArgs = Parameters<FusedConv2D>[0];

function isDilated(dilations: FusedArgs['dilations']): boolean {
  if (dilations == null) return false;
  return typeof dilations === 'number' ? dilations > 1 : dilations.some((d) => d > 1);
}

let original: FusedConv2D | null = null;

/**
 * Wraps `tf.fused.conv2d` once; idempotent. Returns false where tfjs is loaded as frozen
 * ES modules (a bundle), in which case dilated linear conv layers still cannot train.
 */
export function routeDilatedFusedConvs(): boolean {
  if (original) return true;
  const fused = tf.fused as { conv2d: FusedConv2D };
  const wrapped = fused.conv2d;
  const routed = ((args: FusedArgs) => {
    const recording = tf.engine().state.gradientDepth > 0;
    const linear = (args.activation ?? 'linear') === 'linear';
    const nhwc = (args.dataFormat ?? 'NHWC') === 'NHWC';
    if (!recording || !linear || !nhwc || !isDilated(args.dilations)) return wrapped(args);
    return tf.tidy(() => {
      const { x, filter, strides, pad, dilations, dimRoundingMode, bias } = args;
      const y = tf.conv2d(x, filter, strides, pad, 'NHWC', dilations, dimRoundingMode);
      return bias == null ? y : tf.add(y, bias);
    });
  }) as FusedConv2D;
  try {
    fused.conv2d = routed;
  } catch {
    return false;
  }
  if (fused.conv2d !== routed) return false;
  original = wrapped;
  return true;
}
