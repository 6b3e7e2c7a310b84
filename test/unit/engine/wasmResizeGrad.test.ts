/**
 * The resize gradients SkipSeg's up-sampling layers train through, checked on wasm without
 * the cpu backend (whose ResizeNearestNeighborGrad is wrong for batch > 1 and whose
 * ResizeBilinearGrad swaps H and W): nearest against block sums by hand, bilinear through
 * the adjoint identity of a linear map, ⟨resize(x), r⟩ = ⟨x, resizeᵀ(r)⟩.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../src-main/engine/wasm/setup';

beforeAll(async () => {
  await initWasm();
});

function seeded(shape: number[], seed: number): tf.Tensor4D {
  let s = seed;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
  return tf.tensor4d(values, shape as [number, number, number, number]);
}

describe('resize gradients on wasm', () => {
  it('nearest-neighbour 2× up-sampling: each input gets the sum of its 2×2 block', () => {
    const [x, r] = [seeded([3, 4, 5, 2], 1), seeded([3, 8, 10, 2], 2)];
    const loss = (t: tf.Tensor) =>
      tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [8, 10]), r));
    const grad = tf.grad(loss)(x);
    const byHand = tf.sum(tf.reshape(r, [3, 4, 2, 5, 2, 2]), [2, 4]);
    expect(tf.max(tf.abs(tf.sub(grad, byHand))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, r, grad, byHand]);
  });

  it.each([
    [[8, 10], false],
    [[7, 9], true],
    [[3, 7], false],
  ] as [[number, number], boolean][])('bilinear to %j (align corners %s)', (size, align) => {
    const [x, probe] = [seeded([3, 4, 5, 2], 3), seeded([3, 4, 5, 2], 4)];
    const r = seeded([3, ...size, 2], 5);
    const loss = (t: tf.Tensor) =>
      tf.sum(tf.mul(tf.image.resizeBilinear(t as tf.Tensor4D, size, align), r));
    const grad = tf.grad(loss)(x);
    const forward = loss(probe).dataSync()[0]!;
    const adjoint = tf.sum(tf.mul(grad, probe)).dataSync()[0]!;
    expect(Math.abs(forward - adjoint)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
    tf.dispose([x, probe, r, grad]);
  });
});
