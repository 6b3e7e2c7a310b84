/**
 * A faster `Conv2DBackpropInput` for the wasm backend. tfjs 4.22's is a plain loop; it
 * carries every transposed conv (U-Net's up-sampling) and every conv's input gradient.
 * Two cases go to fast kernels; tiny ones, where the loop wins, keep the original:
 *
 * - kernel = stride, no padding (2×2 up-convs, 1×1 convs): the output tiles do not
 *   overlap, so dx is one matmul dy·Wᵀ whose rows are then laid out as tiles;
 * - otherwise dx is a forward conv (XNNPACK's) of dy with s − 1 zero rows and columns
 *   spread between its own, padded so each input pixel is reached (cropped where padding
 *   is negative), with the filter flipped and its channels swapped. The zeros waste s²
 *   of the work at stride s > 1, yet this still beats the loop about threefold.
 */
import * as tf from '@tensorflow/tfjs';
import {
  heapF32,
  replaceWasmKernel,
  wasmKernel,
  type Info,
  type KernelFunc,
  type WasmBackend,
} from './kernelFuncs';
import { strideGaps } from './depthwiseBackprop';

export function registerFastConv2DBackpropInput(): void {
  replaceWasmKernel('Conv2DBackpropInput', fastConv2DBackpropInput);
}

/**
 * The filter turned in space by 180°: its taps in reverse order, each tap's [inC, outC]
 * block copied whole. (wasm's Reverse, a loop per value, took 20 ms on a 3×3×256×256 filter.)
 */
function rotate(backend: WasmBackend, filter: Info): Info {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput(filter.shape, 'float32');
  const [src, dst] = [heapF32(backend, filter), heapF32(backend, out)];
  const block = ci * co;
  for (let t = 0, taps = kh * kw; t < taps; t++) {
    const from = (taps - 1 - t) * block;
    dst.set(src.subarray(from, from + block), t * block);
  }
  return out;
}

function fastConv2DBackpropInput(slow: KernelFunc): KernelFunc {
  const [transpose, conv2d, matMul, padV2, slice] = [
    wasmKernel('Transpose'),
    wasmKernel('Conv2D'),
    wasmKernel('BatchMatMul'),
    wasmKernel('PadV2'),
    wasmKernel('Slice'),
  ];
  return (args) => {
    const backend = args.backend as tf.KernelBackend;
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as {
      strides: number | [number, number];
      pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: [number, number, number, number];
      dataFormat?: string;
    };
    if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return slow(args as never);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
    const { padInfo } = info;
    const [n, h, w, c] = attrs.inputShape;
    const temps: Info[] = [];
    const done = (out: Info) => {
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    };

    const { top, left, bottom, right } = padInfo;
    const noPad = top === 0 && left === 0 && bottom === 0 && right === 0;
    const tiles = info.outHeight * sh === h && info.outWidth * sw === w;
    if (kh === sh && kw === sw && sh === sw && noPad && tiles) {
      const [, ho, wo, o] = dy.shape as [number, number, number, number];
      // wasm's BatchMatMul reaches XNNPACK only untransposed (any transpose runs a scalar
      // loop ~10× slower), so the small filter is transposed first: [kh·kw·c, o] to
      // [o, kh·kw·c]; dy is viewed as [1, n·ho·wo, o].
      const flat = { dataId: filter.dataId, shape: [kh * kw * c, o], dtype: filter.dtype };
      const filterT = transpose({ inputs: { x: flat }, backend, attrs: { perm: [1, 0] } });
      temps.push(filterT);
      const cols = matMul({
        inputs: {
          a: { dataId: dy.dataId, shape: [1, n * ho * wo, o], dtype: dy.dtype },
          b: { dataId: filterT.dataId, shape: [1, o, kh * kw * c], dtype: filterT.dtype },
        },
        backend,
        attrs: { transposeA: false, transposeB: false },
      });
      if (kh === 1) return done({ dataId: cols.dataId, shape: [n, h, w, c], dtype: cols.dtype });
      temps.push(cols);
      // Each dy pixel's kh·kw·c values are its output tile; moving the tile rows next to
      // the image rows lays them out. (wasm's DepthToSpace does the same ~20× slower.)
      const tiled = { dataId: cols.dataId, shape: [n, ho, wo, kh, kw, c], dtype: cols.dtype };
      const perm = [0, 1, 3, 2, 4, 5];
      const laidOut = transpose({ inputs: { x: tiled }, backend, attrs: { perm } });
      return done({ dataId: laidOut.dataId, shape: [n, h, w, c], dtype: laidOut.dtype });
    }
    // Multiply-adds of the spread conv; below ~1M the loop's lack of set-up wins.
    if (n * h * w * c * kh * kw * dy.shape[3]! < 1e6) return slow(args as never);
    let spread = dy;
    if (sh > 1 || sw > 1) {
      const [, ho, wo, o] = dy.shape as [number, number, number, number];
      const view = { dataId: dy.dataId, shape: [n, ho, 1, wo, 1, o], dtype: dy.dtype };
      const zeros = { paddings: strideGaps(sh, sw), constantValue: 0 };
      const holed = padV2({ inputs: { x: view }, backend, attrs: zeros });
      temps.push(holed);
      spread = { dataId: holed.dataId, shape: [n, ho * sh, wo * sw, o], dtype: holed.dtype };
    }
    const [, lh, lw, o] = spread.shape as [number, number, number, number];
    const front = [kh - 1 - padInfo.top, kw - 1 - padInfo.left] as const;
    const back = [h + kh - 1 - front[0] - lh, w + kw - 1 - front[1] - lw] as const;
    if ([...front, ...back].some((p) => p < 0)) {
      const cut = (p: number) => Math.max(-p, 0);
      const begin = [0, cut(front[0]), cut(front[1]), 0];
      const size = [n, lh - cut(front[0]) - cut(back[0]), lw - cut(front[1]) - cut(back[1]), o];
      spread = slice({ inputs: { x: spread }, backend, attrs: { begin, size } });
      temps.push(spread);
    }
    // Flip the filter in space and swap in/out channels: [kh, kw, outC(dy), inC(x)].
    const flipped = rotate(backend as WasmBackend, filter);
    temps.push(flipped);
    const swapped = transpose({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } });
    temps.push(swapped);
    const at = (p: number) => Math.max(p, 0);
    const pad = [
      [0, 0],
      [at(front[0]), at(back[0])],
      [at(front[1]), at(back[1])],
      [0, 0],
    ];
    const convAttrs = { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' };
    return done(conv2d({ inputs: { x: spread, filter: swapped }, backend, attrs: convAttrs }));
  };
}
