/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs 4.22 lacks (every conv layer's
 * weight gradient needs it):
 *   dW[i, j, ci, co] = Σ_{n, y, x} xPadded[n, y·s + i·d, x·s + j·d, ci] · dy[n, y, x, co].
 *
 * It runs on a SIMD loop of our own (filterGradSimd.ts) that reads x and dy in place: a
 * reduction over N·Ho·Wo values (262k in a U-Net at 256², batch 4) into a tiny dW, blocked
 * in bands of dy rows that stay in cache, on all of the backend's threads. Over the 23 calls
 * of a U-Net 256² batch-4 step that is about 2.9 times faster than the XNNPACK conv below
 * (1.06–1.18 s → 0.36–0.43 s, 2 threads): 4–5 times on the full-resolution 3×3 layers,
 * about 2 times on the deepest; the step went from about 620 to 430 ms per image.
 *
 * Where the loop does not apply (neither Cin nor Cout a multiple of 4) it falls back to what
 * it did before: XNNPACK's forward conv of x seen as [Cin, H, W, N] (batch ↔ channels) with
 * dy seen as a [Ho, Wo, N, Cout] filter. That conv reduces over only N values per filter
 * tap, packs all of dy as its weights on every call, and streams it once per block of
 * outputs. Cutting it into bands of rows (one conv per band, partial sums added) measured
 * slower: 1.5 times at 256 KiB bands, no faster at 4 MiB, as each band's conv packs its
 * weights anew (and cut with tfjs's Slice, which copies its whole input per call, up to 19
 * times slower).
 * (The wasm backend's native Conv3DBackpropFilterV2 on a depth-1 view also works, but is a
 * plain loop some 40 times slower, and wrong for strides > 1.)
 *
 * TODO: the loop runs at about 80 GFLOP/s on 2 threads on the full-resolution layers but
 * about 70 on the deep ones (short rows, so more tile set-up per pixel); wasm SIMD has no
 * fused multiply-add without relaxed SIMD, which Node 20 does not enable.
 */
import * as tf from '@tensorflow/tfjs';
import { simdFilterGrad } from './filterGradSimd';
import { wasmKernel, type Info, type KernelFunc } from './kernelFuncs';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  filterShape: [number, number, number, number];
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** For benches and tests: false routes every call to the XNNPACK conv. */
export const filterGradTuning = { simd: true };

/**
 * dW by XNNPACK's forward conv: the input seen as [Cin, H, W, N] (batch ↔ channels)
 * convolved with dy seen as a [Ho, Wo, N, Cout] filter, whose stride is the forward
 * dilation and whose dilation is the forward stride; its [Cin, kh, kw, Cout] result is
 * transposed to [kh, kw, Cin, Cout].
 */
function xnnpackFilterGrad(
  backend: tf.KernelBackend,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
): Info {
  const transpose = wasmKernel('Transpose');
  const slice = wasmKernel('Slice');
  const conv2d = wasmKernel('Conv2D');
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
}

export const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, filterShape, dilations = 1, dimRoundingMode } = attrs as unknown as Attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  const fast = filterGradTuning.simd ? simdFilterGrad(backend, x, dy, info) : null;
  return fast ?? xnnpackFilterGrad(backend, x, dy, info);
};

export function registerConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
  });
}
