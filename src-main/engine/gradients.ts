/**
 * The Conv2D gradient, registered over tfjs's own, which refuses dilation rates above 1 on
 * every backend (DeepLabV3+'s atrous convs need them). Undilated convs keep tfjs's kernels;
 * dilated ones (stride 1, as tfjs requires) are differentiated with forward convs:
 *
 * - input: the gradient of y[o] = Σ_k x[o + k·d − top]·W[k] is a dilated conv of dy, padded
 *   so every input row is reached, with the filter flipped and its channels swapped;
 * - filter: dW[k] = Σ_o xPadded[o + k·d]·dy[o], a conv of x seen as [Cin, H, W, N] with dy
 *   seen as an [Ho, Wo, N, Cout] filter at stride d.
 */
import * as tf from '@tensorflow/tfjs';
import { padOrCrop } from './wasm/depthwiseBackprop';

type Pair = [number, number];

function pair(v: unknown): Pair {
  if (typeof v === 'number') return [v, v];
  return (Array.isArray(v) ? v : [1, 1]) as Pair;
}

let registered = false;

export function registerConvGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const grad = dy as tf.Tensor4D;
      const { strides, pad, dataFormat, dimRoundingMode, dilations } = attrs as Record<
        string,
        unknown
      >;
      if (dataFormat !== undefined && dataFormat !== 'NHWC')
        throw new Error('Conv2D gradient: NHWC only');
      const [dh, dw] = pair(dilations);
      if (dh === 1 && dw === 1) {
        const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode } as tf.NamedAttrMap;
        return {
          x: () =>
            tf
              .engine()
              .runKernel(
                'Conv2DBackpropInput',
                { dy: grad, filter },
                { ...common, inputShape: x.shape },
              ) as tf.Tensor,
          filter: () =>
            tf
              .engine()
              .runKernel(
                'Conv2DBackpropFilter',
                { x, dy: grad },
                { ...common, filterShape: filter.shape },
              ) as tf.Tensor,
        };
      }
      const info = tf.backend_util.computeConv2DInfo(
        x.shape,
        filter.shape,
        strides as number,
        [dh, dw],
        pad as 'same',
        dimRoundingMode as 'floor' | undefined,
      );
      if (info.strideHeight !== 1 || info.strideWidth !== 1)
        throw new Error('dilated Conv2D gradient: stride 1 only');
      const { top, left } = info.padInfo;
      const [kh, kw] = [info.filterHeight, info.filterWidth];
      const bottom = (kh - 1) * dh + info.outHeight - info.inHeight - top;
      const right = (kw - 1) * dw + info.outWidth - info.inWidth - left;
      return {
        x: () =>
          tf.tidy(() => {
            const front = [(kh - 1) * dh - top, (kw - 1) * dw - left];
            const back = [info.inHeight + (kh - 1) * dh - info.outHeight - front[0]!, 0];
            back[1] = info.inWidth + (kw - 1) * dw - info.outWidth - front[1]!;
            const padded = padOrCrop(grad, front as Pair, back as Pair);
            const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
            return tf.conv2d(padded, flipped, 1, 'valid', 'NHWC', [dh, dw]);
          }),
        filter: () =>
          tf.tidy(() => {
            const padded = padOrCrop(x, [top, left], [bottom, right]);
            const xT = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D;
            const dyT = tf.transpose(grad, [1, 2, 0, 3]) as tf.Tensor4D;
            return tf.transpose(tf.conv2d(xT, dyT, [dh, dw], 'valid'), [1, 2, 0, 3]);
          }),
      };
    },
  });
}
