/**
 * Gradients of a depthwise conv (the first half of every separable conv), written as
 * forward depthwise convs so they run on XNNPACK.
 *
 * tfjs 4.22's wasm backend has no DepthwiseConv2dNativeBackpropInput or ...BackpropFilter
 * kernel, and tfjs's gradient refuses dilation rates above 1 on every backend (the cpu
 * kernels would ignore the rate anyway). Both gradients below take strides, dilations,
 * 'same'/'valid'/explicit padding and a channel multiplier M, all in NHWC:
 *
 * - input: dx[i] = Σ_k dy'[i + top − k·d]·W[k], with dy' being dy with s − 1 zeros between
 *   rows (and columns). That is a stride-1 dilated depthwise conv of dy', padded so every
 *   input pixel is reached, with the filter flipped; the M outputs of each channel are summed.
 * - filter: dW[k, c, m] = Σ_{n, o} xPadded[n, o·s + k·d, c]·dy[n, o, c·M + m]. Treating the
 *   N·C planes of x as the channels of one image and dy as an [Ho, Wo, N·C, M] filter makes
 *   this one depthwise conv (stride d, dilation s) with a kh×kw output; the N images are summed.
 */
import * as tf from '@tensorflow/tfjs';

type Pair = [number, number];

/**
 * Paddings that spread dy seen as [N, Ho, 1, Wo, 1, C] to stride sh × sw: zeros after each
 * row and each column, the holes a strided conv's input gradient is a plain conv over.
 */
export function strideGaps(sh: number, sw: number): Pair[] {
  return [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ];
}

/** Pads H and W of an NHWC tensor; a negative amount crops from that end instead. */
export function padOrCrop(t: tf.Tensor4D, front: Pair, back: Pair): tf.Tensor4D {
  const [n, h, w, c] = t.shape;
  const [cropTop, cropLeft] = [Math.max(-front[0], 0), Math.max(-front[1], 0)];
  const [cropBottom, cropRight] = [Math.max(-back[0], 0), Math.max(-back[1], 0)];
  let out = t;
  if (cropTop + cropLeft + cropBottom + cropRight > 0) {
    const size = [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c];
    out = tf.slice(out, [0, cropTop, cropLeft, 0], size);
  }
  const pads: Array<Pair> = [
    [0, 0],
    [Math.max(front[0], 0), Math.max(back[0], 0)],
    [Math.max(front[1], 0), Math.max(back[1], 0)],
    [0, 0],
  ];
  return pads.some(([a, b]) => a + b > 0) ? tf.pad(out, pads) : out;
}

/** dL/dW of a depthwise conv: x [N, H, W, C] and dy [N, Ho, Wo, C·M] to [kh, kw, C, M]. */
export function depthwiseFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { batchSize: n, inChannels: c, outHeight: ho, outWidth: wo } = info;
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
    const m = info.outChannels / c;
    // Exactly the rows and columns the forward conv read, so the output is kh × kw.
    const needH = (kh - 1) * dh + (ho - 1) * sh + 1;
    const needW = (kw - 1) * dw + (wo - 1) * sw + 1;
    const back: Pair = [needH - info.inHeight - padInfo.top, needW - info.inWidth - padInfo.left];
    const padded = padOrCrop(x, [padInfo.top, padInfo.left], back);

    const planes = tf.reshape(tf.transpose(padded, [1, 2, 3, 0]), [1, needH, needW, c * n]);
    const dy5 = tf.reshape(dy, [n, ho, wo, c, m]);
    const taps = tf.reshape(tf.transpose(dy5, [1, 2, 3, 0, 4]), [ho, wo, c * n, m]);
    // Stride and dilation trade places: the output walks the taps, the filter walks dy.
    const perImage = tf.depthwiseConv2d(
      planes as tf.Tensor4D,
      taps as tf.Tensor4D,
      [dh, dw],
      'valid',
      'NHWC',
      [sh, sw],
    );
    return tf.sum(tf.reshape(perImage, [kh, kw, c, n, m]), 3);
  });
}

/** dL/dx of a depthwise conv: dy [N, Ho, Wo, C·M] and filter [kh, kw, C, M] to [N, H, W, C]. */
export function depthwiseInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { batchSize: n, inChannels: c, inHeight: h, inWidth: w } = info;
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
    const m = info.outChannels / c;
    const [, ho, wo, cm] = dy.shape;
    let spread = dy;
    if (sh > 1 || sw > 1) {
      const holed = tf.pad(tf.reshape(dy, [n, ho, 1, wo, 1, cm]), strideGaps(sh, sw));
      spread = tf.reshape(holed, [n, ho * sh, wo * sw, cm]);
    }
    // Trailing zero rows past the last real one are cropped by a negative back pad.
    const front: Pair = [(kh - 1) * dh - padInfo.top, (kw - 1) * dw - padInfo.left];
    const back: Pair = [
      h + (kh - 1) * dh - front[0] - spread.shape[1],
      w + (kw - 1) * dw - front[1] - spread.shape[2],
    ];
    const padded = padOrCrop(spread, front, back);
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
    const perMultiplier = tf.depthwiseConv2d(padded, flipped, 1, 'valid', 'NHWC', [dh, dw]);
    return m === 1 ? perMultiplier : tf.sum(tf.reshape(perMultiplier, [n, h, w, c, m]), 4);
  });
}
