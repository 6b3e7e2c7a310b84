/**
 * `MaxPoolGrad` on wasm for windows that tile the input (filter = stride, no padding, like
 * every 2×2 pooling in the architectures), as one loop that finds each window's maximum and
 * writes dy there and zeros around it.
 *
 * tfjs 4.22's wasm kernel first writes every window's argmax to a scratch array and then
 * loops over dx asking each pixel which outputs chose it; it took 6 % of a U-Net step. It
 * also starts each window's search at FLT_MIN rather than −∞, so a window of values ≤ 0
 * passes no gradient at all, and on ties keeps the last maximum. This one follows the cpu
 * backend: the first maximum in row-major window order, from −∞.
 */
import * as tf from '@tensorflow/tfjs';
import {
  heapF32,
  replaceWasmKernel,
  type Info,
  type KernelFunc,
  type WasmBackend,
} from './kernelFuncs';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type PoolInfo = tf.backend_util.Conv2DInfo;

function tiledGrad(backend: WasmBackend, x: Info, dy: Info, info: PoolInfo): Info {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = info;
  const out = backend.makeOutput(x.shape, 'float32');
  const [xs, dys, dx] = [heapF32(backend, x), heapF32(backend, dy), heapF32(backend, out)];
  // Rows and columns past the last window ('valid' pooling of an odd size) get no gradient.
  if (ho * kh !== h || wo * kw !== w) dx.fill(0);

  const taps = kh * kw;
  const offsets = new Int32Array(taps);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        for (let t = 0; t < taps; t++) {
          const row = oy * kh + Math.floor(t / kw);
          offsets[t] = ((b * h + row) * w + ox * kw + (t % kw)) * c;
        }
        const o = ((b * ho + oy) * wo + ox) * c;
        for (let k = 0; k < c; k++) {
          let best = -Infinity;
          let at = -1;
          for (let t = 0; t < taps; t++) {
            const v = xs[offsets[t]! + k]!;
            if (v > best) {
              best = v;
              at = t;
            }
          }
          const g = dys[o + k]!;
          for (let t = 0; t < taps; t++) dx[offsets[t]! + k] = t === at ? g : 0;
        }
      }
    }
  }
  return out;
}

function fastMaxPoolGrad(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: Info; input: Info };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as Attrs;
    const shape = input.shape as [number, number, number, number];
    const { computePool2DInfo } = tf.backend_util;
    const info = computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
    const { top, left, bottom, right } = info.padInfo;
    const tiles = info.filterHeight === info.strideHeight && info.filterWidth === info.strideWidth;
    const unpadded = top === 0 && left === 0 && bottom === 0 && right === 0;
    if (!tiles || !unpadded || input.dtype !== 'float32') return stock(args);
    return tiledGrad(args.backend as WasmBackend, input, dy, info);
  };
}

/** Idempotent. */
export function registerFastMaxPoolGrad(): void {
  replaceWasmKernel('MaxPoolGrad', fastMaxPoolGrad);
}
