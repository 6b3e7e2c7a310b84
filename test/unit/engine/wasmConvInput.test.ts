/**
 * SkipSeg's Conv2DBackpropInput on wasm against the cpu backend's loop: past its small-case
 * cut-off, where it runs as a conv over zero-spread dy (strides 1–3, same/valid/explicit
 * padding whose negative cases crop, odd sizes), and its matmul path for tiles that do
 * not overlap.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../src-main/engine/wasm/setup';
import { seededValues } from '../../helpers/numeric';

type Shape = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

beforeAll(async () => {
  await initWasm();
});

async function inputGrad(backend: string, xs: Shape, ws: Shape, strides: number, pad: Pad) {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const info = tf.backend_util.computeConv2DInfo(xs, ws, strides, 1, pad);
      const dyShape = [xs[0], info.outHeight, info.outWidth, ws[3]];
      const dy = tf.tensor(seededValues(dyShape, 11), dyShape);
      const filter = tf.tensor(seededValues(ws, 12), ws);
      const attrs = { strides, pad, dataFormat: 'NHWC', inputShape: xs };
      const run = tf.engine().runKernel.bind(tf.engine());
      const dx = run('Conv2DBackpropInput', { dy, filter }, attrs as never) as tf.Tensor;
      return dx.dataSync().slice();
    });
  } finally {
    await tf.setBackend(before);
  }
}

describe('Conv2DBackpropInput on wasm past the cut-off', () => {
  const explicit: Pad = [
    [0, 0],
    [0, 2],
    [1, 0],
    [0, 0],
  ];
  it.each([
    [[2, 24, 24, 8], [3, 3, 8, 16], 2, 'same'],
    [[3, 25, 23, 8], [3, 3, 8, 12], 2, 'valid'],
    [[1, 31, 30, 16], [5, 5, 16, 8], 3, 'same'],
    [[1, 30, 29, 8], [4, 4, 8, 12], 2, 'valid'],
    [[2, 21, 22, 8], [3, 3, 8, 16], 1, 'valid'],
    [[2, 21, 22, 8], [3, 3, 8, 16], 2, explicit],
    [[1, 40, 40, 3], [3, 3, 3, 32], 1, 'same'],
    // Non-overlapping tiles: the matmul path (2×2 up-convs, 1×1 convs).
    [[2, 16, 12, 8], [2, 2, 8, 16], 2, 'valid'],
    [[1, 18, 15, 4], [3, 3, 4, 8], 3, 'same'],
    [[2, 9, 9, 8], [1, 1, 8, 4], 1, 'same'],
  ] as [Shape, Shape, number, Pad][])('x %j, filter %j, stride %i, pad %j', async (...c) => {
    const [xs, ws, s, pad] = c;
    const tensorsBefore = tf.memory().numTensors;
    const wasm = await inputGrad('wasm', xs, ws, s, pad);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const cpu = await inputGrad('cpu', xs, ws, s, pad);
    let worst = 0;
    let scale = 1e-6;
    cpu.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(wasm[i]! - v));
      scale = Math.max(scale, Math.abs(v));
    });
    expect(worst / scale).toBeLessThan(1e-4);
  });
});
