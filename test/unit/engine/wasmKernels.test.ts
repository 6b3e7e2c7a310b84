/**
 * The training kernels SkipSeg adds: Conv2DBackpropFilter on wasm against the cpu backend
 * and (its SIMD loop in bands, on each of its thread set-ups, and its XNNPACK fallback)
 * against a brute-force sum, and the dilated Conv2D gradient against an undilated conv
 * with a zero-stuffed filter.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterGradTuning } from '../../../src-main/engine/wasm/conv2dBackpropFilter';
import {
  filterGradBands,
  filterGradWorkers,
  simdTuning,
} from '../../../src-main/engine/wasm/filterGradSimd';
import { initWasm } from '../../../src-main/engine/wasm/setup';
import { relErr } from '../../helpers/numeric';

beforeAll(async () => {
  await initWasm();
});

async function on<T>(backend: string, body: () => Promise<T>): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return await body();
  } finally {
    await tf.setBackend(before);
  }
}

function seeded(shape: number[], seed: number): number[] {
  let s = seed;
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

/** dL/dx and dL/dW of L = Σ conv2d(x, W)·r, for fixed random r. */
async function convGrads(
  xs: number[],
  x: number[],
  ws: number[],
  w: number[],
  stride: number,
  pad: 'same' | 'valid',
  dilation: number,
) {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const wt = tf.tensor4d(w, ws as [number, number, number, number]);
    const f = (a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad, 'NHWC', dilation);
      return tf.sum(tf.mul(y, tf.tensor(seeded(y.shape, 7), y.shape)));
    };
    const [gx, gw] = tf.grads(f)([xt, wt]);
    return [gx!.dataSync().slice(), gw!.dataSync().slice()];
  });
}

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: [number[], number[], number, 'same' | 'valid'][] = [
    [[1, 8, 8, 1], [3, 3, 1, 4], 1, 'same'],
    [[3, 9, 11, 3], [3, 3, 3, 8], 2, 'same'],
    [[2, 10, 9, 5], [2, 2, 5, 4], 2, 'valid'],
    [[2, 7, 7, 8], [3, 3, 8, 3], 1, 'valid'],
    [[1, 6, 5, 2], [1, 1, 2, 2], 2, 'same'],
  ];
  it.each(cases)('x %j, filter %j, stride %i, %s padding matches the cpu backend', async (...c) => {
    const [xs, ws, stride, pad] = c;
    const x = seeded(xs, 1);
    const w = seeded(ws, 2);
    const before = tf.memory().numTensors;
    const wasm = await convGrads(xs, x, ws, w, stride, pad, 1);
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await on('cpu', () => convGrads(xs, x, ws, w, stride, pad, 1));
    expect(relErr(wasm[1]!, cpu[1]!)).toBeLessThan(1e-4);
    expect(relErr(wasm[0]!, cpu[0]!)).toBeLessThan(1e-4);
  });
});

/** dW[i, j, ci, co] = Σ x[n, y·s + i·d − top, x·s + j·d − left, ci] · dy[n, y, x, co], in doubles. */
function bruteFilterGrad(
  x: number[],
  dy: number[],
  info: tf.backend_util.Conv2DInfo,
): Float64Array {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const out = new Float64Array(kh * kw * ci * co);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < ho; y++)
      for (let xo = 0; xo < wo; xo++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const [yi, xi] = [y * sh + i * dh - top, xo * sw + j * dw - left];
            if (yi < 0 || yi >= h || xi < 0 || xi >= w) continue;
            for (let c = 0; c < ci; c++) {
              const xv = x[((b * h + yi) * w + xi) * ci + c]!;
              for (let o = 0; o < co; o++) {
                out[((i * kw + j) * ci + c) * co + o]! +=
                  xv * dy[((b * ho + y) * wo + xo) * co + o]!;
              }
            }
          }
  return out;
}

describe('Conv2DBackpropFilter on wasm, banded, against brute force', () => {
  beforeAll(async () => {
    // Worker threads start in the background; wait for them, so the workers-only runs
    // below never wait on a thread that is still loading.
    const { workers } = filterGradWorkers(tf.backend());
    for (let i = 0; i < 200 && filterGradWorkers(tf.backend()).ready < workers; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(filterGradWorkers(tf.backend()).ready).toBe(workers);
  });

  it('runs on worker threads wherever the backend has threads', () => {
    expect(filterGradWorkers(tf.backend()).workers).toBe(getThreadsCount() - 1);
  });

  type Case = [number[], number[], number, 'same' | 'valid', number, number];
  /** x, filter, stride, padding, dilation, dy rows per band (0: the default band size). */
  const cases: Case[] = [
    // Bands of 4 over 2 × 13 rows: 7 bands, some across the two images, the last of 2.
    [[2, 13, 11, 8], [3, 3, 8, 8], 1, 'same', 1, 4],
    [[3, 15, 14, 4], [3, 3, 4, 12], 2, 'same', 1, 3],
    [[2, 17, 16, 4], [3, 3, 4, 8], 1, 'valid', 2, 5],
    [[2, 16, 15, 6], [3, 3, 6, 4], 1, 'same', 2, 7],
    [[2, 11, 12, 8], [2, 2, 8, 4], 2, 'valid', 1, 2],
    [[1, 14, 13, 5], [3, 2, 5, 20], 2, 'valid', 1, 4],
    // Cout not a multiple of 4: dW is built transposed (channels of x in the vectors).
    [[2, 9, 10, 8], [1, 1, 8, 2], 1, 'valid', 1, 4],
    [[2, 12, 9, 12], [3, 3, 12, 6], 2, 'same', 1, 5],
    // Neither a multiple of 4: the XNNPACK conv, whatever the set-up.
    [[2, 9, 8, 3], [3, 3, 3, 5], 1, 'same', 1, 3],
    // The default band size: one band, then one that splits 2 × 40 rows into 51 + 29.
    [[1, 8, 8, 4], [3, 3, 4, 8], 1, 'same', 1, 0],
    [[2, 40, 40, 16], [3, 3, 16, 16], 1, 'same', 1, 0],
  ];
  it.each(cases)('x %j, filter %j, stride %i, %s, dilation %i, band %i', (...c) => {
    const [xs, ws, s, pad, d, bandRows] = c;
    const info = tf.backend_util.computeConv2DInfo(
      xs as [number, number, number, number],
      ws as [number, number, number, number],
      s,
      d,
      pad,
    );
    const x = seeded(xs, 11);
    const dy = seeded(info.outShape, 12);
    const want = bruteFilterGrad(x, dy, info);
    const saved = { ...simdTuning };
    try {
      if (bandRows > 0) {
        const rowBytes =
          4 * (info.outWidth * info.outChannels + s * info.inWidth * info.inChannels);
        simdTuning.bandBytes = bandRows * rowBytes;
      }
      const { rows, band, bands } = filterGradBands(info);
      if (bandRows > 0) {
        expect(band).toBe(bandRows);
        expect(bands).toBeGreaterThan(1);
      } else if (xs[1] === 40) {
        expect([band, bands, rows % band]).toEqual([51, 2, 29]);
      } else {
        expect(bands).toBe(1);
      }
      // All threads, the calling thread alone, the worker threads alone (where there are
      // any), and the XNNPACK path this replaced.
      const runs = [{ threads: 0 }, { threads: 1 }, { workersOnly: true }, { xnnpack: true }];
      for (const run of runs) {
        simdTuning.threads = run.threads ?? 0;
        simdTuning.workersOnly = run.workersOnly ?? false;
        filterGradTuning.simd = !run.xnnpack;
        const before = tf.memory().numTensors;
        const byWorkers = filterGradWorkers(tf.backend()).bands;
        const got = tf.tidy(() => {
          const attrs = { strides: s, pad, filterShape: ws, dilations: d };
          const xt = tf.tensor4d(x, xs as [number, number, number, number]);
          const dyt = tf.tensor4d(dy, info.outShape);
          const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, attrs);
          return (dw as tf.Tensor).dataSync().slice();
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(relErr(got, want), JSON.stringify(run)).toBeLessThan(1e-5);
        const simd = ws[2]! % 4 === 0 || ws[3]! % 4 === 0;
        if (run.workersOnly && simd && bands > 1 && filterGradWorkers(tf.backend()).workers) {
          expect(filterGradWorkers(tf.backend()).bands - byWorkers).toBe(bands);
        }
      }
    } finally {
      Object.assign(simdTuning, saved);
      filterGradTuning.simd = true;
    }
  });
});

describe('the dilated Conv2D gradient', () => {
  /** The same conv undilated: the filter with d − 1 zeros between its taps. */
  function stuff(w: number[], ws: number[], d: number): { w: number[]; ws: number[] } {
    const [kh, kw, ci, co] = ws as [number, number, number, number];
    const [eh, ew] = [(kh - 1) * d + 1, (kw - 1) * d + 1];
    const out = new Array<number>(eh * ew * ci * co).fill(0);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let c = 0; c < ci * co; c++) {
          out[(i * d * ew + j * d) * ci * co + c] = w[(i * kw + j) * ci * co + c]!;
        }
    return { w: out, ws: [eh, ew, ci, co] };
  }

  const rates: [number[], number[], number, 'same' | 'valid'][] = [
    [[2, 12, 12, 3], [3, 3, 3, 4], 2, 'same'],
    [[1, 13, 11, 2], [3, 3, 2, 2], 3, 'same'],
    [[1, 12, 12, 2], [3, 3, 2, 3], 2, 'valid'],
  ];
  it.each(rates)('x %j, filter %j, rate %i, %s', async (...c) => {
    const [xs, ws, d, pad] = c;
    const x = seeded(xs, 3);
    const w = seeded(ws, 4);
    for (const backend of ['wasm', 'cpu']) {
      const [gx, gw] = await on(backend, () => convGrads(xs, x, ws, w, 1, pad, d));
      const big = stuff(w, ws, d);
      const [rx, rwBig] = await on('cpu', () => convGrads(xs, x, big.ws, big.w, 1, pad, 1));
      expect(relErr(gx!, rx!)).toBeLessThan(1e-4);
      // The dilated filter's gradient is the stuffed filter's gradient at the real taps.
      const [kh, kw, ci, co] = ws as [number, number, number, number];
      const ew = big.ws[1]!;
      const rw = gw!.map((_, idx) => {
        const c = idx % (ci * co);
        const tap = Math.floor(idx / (ci * co));
        const [i, j] = [Math.floor(tap / kw), tap % kw];
        return rwBig![(i * d * ew + j * d) * ci * co + c]!;
      });
      expect(kh).toBeGreaterThan(0);
      expect(relErr(gw!, rw)).toBeLessThan(1e-4);
    }
  });
});

describe('Conv2DBackpropInput on wasm', () => {
  const small: [number[], number[], number, 'same' | 'valid'][] = [
    [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
    [[1, 9, 7, 2], [3, 3, 2, 5], 1, 'valid'],
    [[2, 8, 6, 4], [2, 2, 4, 3], 2, 'valid'],
    [[1, 8, 8, 2], [2, 2, 2, 2], 2, 'same'],
    [[1, 9, 9, 2], [3, 3, 2, 2], 2, 'same'],
  ];
  it.each(small)('x %j, filter %j, stride %i, %s matches cpu', async (...c) => {
    const [xs, ws, s, pad] = c;
    const x = seeded(xs, 5);
    const w = seeded(ws, 6);
    const wasm = await convGrads(xs, x, ws, w, s, pad, 1);
    const cpu = await on('cpu', () => convGrads(xs, x, ws, w, s, pad, 1));
    expect(relErr(wasm[0]!, cpu[0]!)).toBeLessThan(1e-4);
  });

  it('gives a transposed conv the same output as the cpu backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(seeded([2, 4, 5, 6], 8), [2, 4, 5, 6]);
        const w = tf.tensor4d(seeded([2, 2, 3, 6], 9), [2, 2, 3, 6]);
        const y = tf.conv2dTranspose(x, w, [2, 8, 10, 3], 2, 'same');
        return y.dataSync().slice();
      });
    expect(relErr(run(), await on('cpu', async () => run()))).toBeLessThan(1e-5);
  });
});
