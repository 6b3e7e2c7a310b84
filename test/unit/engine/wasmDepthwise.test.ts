/**
 * Depthwise conv gradients on wasm: undilated ones against the cpu backend's kernels,
 * dilated ones (which tfjs refuses, and whose cpu kernels ignore the rate) against the
 * undilated gradient of the same conv with a zero-stuffed filter.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerDepthwiseTraining } from '../../../src-main/engine/wasm/depthwiseTraining';
import { initWasm } from '../../../src-main/engine/wasm/setup';
import { seededValues, relErr } from '../../helpers/numeric';

type Shape = [number, number, number, number];
type Pad = 'same' | 'valid';

beforeAll(async () => {
  await initWasm();
  registerDepthwiseTraining();
});

/** [dL/dx, dL/dW] of L = Σ depthwiseConv2d(x, W)·r for a fixed r, on `backend`. */
async function grads(backend: string, xs: Shape, ws: Shape, s: number, pad: Pad, d: number) {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const x = tf.tensor4d(seededValues(xs, 1), xs);
      const w = tf.tensor4d(seededValues(ws, 2), ws);
      const loss = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad, 'NHWC', d);
        return tf.sum(tf.mul(y, tf.tensor(seededValues(y.shape, 3), y.shape)));
      };
      return tf
        .grads(loss)([x, w])
        .map((g) => g.dataSync().slice());
    });
  } finally {
    await tf.setBackend(before);
  }
}

describe('depthwise conv gradients on wasm', () => {
  const grid: [Shape, Shape, number, Pad][] = [];
  for (const [xs, ws] of [
    [
      [1, 7, 9, 1],
      [3, 3, 1, 1],
    ],
    [
      [3, 9, 8, 3],
      [3, 3, 3, 2],
    ],
    [
      [2, 6, 6, 8],
      [2, 2, 8, 1],
    ],
  ] as [Shape, Shape][]) {
    for (const s of [1, 2]) {
      for (const pad of ['same', 'valid'] as Pad[]) grid.push([xs, ws, s, pad]);
    }
  }

  it.each(grid)('x %j, filter %j, stride %i, %s: matches the cpu backend', async (...c) => {
    const [xs, ws, s, pad] = c;
    const tensorsBefore = tf.memory().numTensors;
    const [gx, gw] = await grads('wasm', xs, ws, s, pad, 1);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const [rx, rw] = await grads('cpu', xs, ws, s, pad, 1);
    expect(relErr(gx!, rx!)).toBeLessThan(1e-4);
    expect(relErr(gw!, rw!)).toBeLessThan(1e-4);
  });

  /** The filter with d − 1 zero taps between its real ones, and the index of each real tap. */
  function stuffed(ws: Shape, d: number) {
    const [kh, kw, c, m] = ws;
    const big: Shape = [(kh - 1) * d + 1, (kw - 1) * d + 1, c, m];
    const at = (i: number) => {
      const tap = Math.floor(i / (c * m));
      const [row, col] = [Math.floor(tap / kw), tap % kw];
      return (row * d * big[1] + col * d) * c * m + (i % (c * m));
    };
    return { big, at };
  }

  const dilated: [Shape, Shape, number, Pad][] = [
    [[2, 9, 10, 3], [3, 3, 3, 2], 2, 'same'],
    [[1, 11, 11, 2], [3, 3, 2, 1], 4, 'same'],
    [[1, 10, 9, 3], [3, 2, 3, 1], 2, 'valid'],
  ];
  it.each(dilated)('x %j, filter %j, rate %i, %s: matches a stuffed filter', async (...c) => {
    const [xs, ws, d, pad] = c;
    const [gx, gw] = await grads('wasm', xs, ws, 1, pad, d);
    // The stuffed conv computes the same function of x, so dL/dx must agree exactly, and
    // dL/dW is the stuffed filter's gradient read at the real taps.
    const { big, at } = stuffed(ws, d);
    const reference = async (backend: string) => {
      const w = seededValues(ws, 2);
      const wBig = new Float32Array(big.reduce((a, b) => a * b, 1));
      w.forEach((v, i) => (wBig[at(i)] = v));
      const before = tf.getBackend();
      await tf.setBackend(backend);
      const out = tf.tidy(() => {
        const x = tf.tensor4d(seededValues(xs, 1), xs);
        const loss = (a: tf.Tensor, b: tf.Tensor) => {
          const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
          return tf.sum(tf.mul(y, tf.tensor(seededValues(y.shape, 3), y.shape)));
        };
        return tf
          .grads(loss)([x, tf.tensor4d(wBig, big)])
          .map((g) => g.dataSync().slice());
      });
      await tf.setBackend(before);
      return out;
    };
    const [rx, rwBig] = await reference('cpu');
    expect(relErr(gx!, rx!)).toBeLessThan(1e-4);
    expect(
      relErr(
        gw!,
        Array.from(gw!, (_, i) => rwBig![at(i)]!),
      ),
    ).toBeLessThan(1e-4);
  });

  it('trains a separable conv with a dilation rate on wasm', () => {
    const x = tf.tensor4d(seededValues([1, 8, 8, 2], 4), [1, 8, 8, 2]);
    const depthwise = tf.variable(tf.tensor4d(seededValues([3, 3, 2, 2], 5), [3, 3, 2, 2]));
    const pointwise = tf.variable(tf.tensor4d(seededValues([1, 1, 4, 3], 6), [1, 1, 4, 3]));
    const separable = () => tf.separableConv2d(x, depthwise, pointwise, 1, 'same', 2);
    const loss = () => tf.mean(tf.square(separable())) as tf.Scalar;
    const { value, grads: g } = tf.variableGrads(loss);
    expect(g[depthwise.name]!.shape).toEqual([3, 3, 2, 2]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    tf.dispose([x, depthwise, pointwise, value, ...Object.values(g)]);
  });
});
