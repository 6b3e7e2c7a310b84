/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs 4.22 lacks (every conv layer's
 * weight gradient needs it).
 *
 * The filter gradient is itself a forward convolution, so it runs on XNNPACK's fast conv:
 * dW[i, j, ci, co] = Σ_{n, y, x} xPadded[n, y·s + i·d, x·s + j·d, ci] · dy[n, y, x, co]
 * is a conv of the input seen as [Cin, H, W, N] (batch ↔ channels) with dy seen as a
 * [Ho, Wo, N, Cout] filter, whose stride is the forward dilation and whose dilation is
 * the forward stride. Its [Cin, kh, kw, Cout] result is transposed to [kh, kw, Cin, Cout].
 * (The wasm backend's native Conv3DBackpropFilterV2 on a depth-1 view also works, but is a
 * plain loop some 40 times slower, and wrong for strides > 1.)
 *
 * TODO: this conv reduces over only N values per tap and runs at a quarter to a half of
 * XNNPACK's forward speed; it is 40 % of a U-Net step. Im2col + BatchMatMul and a row-wise
 * conv (a whole row of Wo·N values as channels) measured no faster: XNNPACK's GEMM does not
 * block its N·H·W-long reduction, so it streams dy once per block of outputs. A K-blocked
 * GEMM of our own (wasm SIMD, threaded) is what is missing.
 */
import * as tf from '@tensorflow/tfjs';
import { wasmKernel, type Info } from './kernelFuncs';


interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  filterShape: [number, number, number, number];
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function registerConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const transpose = wasmKernel('Transpose');
  const slice = wasmKernel('Slice');
  const conv2d = wasmKernel('Conv2D');

  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
      const backend = anyBackend as tf.KernelBackend;
      const { x, dy } = inputs as { x: Info; dy: Info };
      const a = attrs as unknown as Attrs;
      const { strides, pad, filterShape, dilations = 1, dimRoundingMode } = a;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        dilations,
        pad,
        dimRoundingMode,
      );
      const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
      const { top, left } = info.padInfo;
      const [kh, kw] = [info.filterHeight, info.filterWidth];
      // Rows the gradient conv needs after the top padding; trailing rows the forward
      // conv never reached (valid padding, strides > 1) are cut off instead of padded.
      const bottom = (kh - 1) * dh + (info.outHeight - 1) * sh + 1 - info.inHeight - top;
      const right = (kw - 1) * dw + (info.outWidth - 1) * sw + 1 - info.inWidth - left;

      const temps: Info[] = [];
      let xT = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
      temps.push(xT);
      if (bottom < 0 || right < 0) {
        const [c, h, w, n] = xT.shape as [number, number, number, number];
        const size = [c, h + Math.min(bottom, 0), w + Math.min(right, 0), n];
        xT = slice({ inputs: { x: xT }, backend, attrs: { begin: [0, 0, 0, 0], size } });
        temps.push(xT);
      }
      const dyT = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
      temps.push(dyT);
      const explicit = [
        [0, 0],
        [top, Math.max(bottom, 0)],
        [left, Math.max(right, 0)],
        [0, 0],
      ];
      const grad = conv2d({
        inputs: { x: xT, filter: dyT },
        backend,
        attrs: { strides: [dh, dw], pad: explicit, dilations: [sh, sw], dataFormat: 'NHWC' },
      });
      temps.push(grad);
      const out = transpose({ inputs: { x: grad }, backend, attrs: { perm: [1, 2, 0, 3] } });
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    },
  });
}
