/**
 * Every kernel SkipSeg's models train through, forward and gradient, on WebGPU against the
 * cpu backend on tiny shapes, with the same inputs built on each backend from plain arrays
 * (a WebGPU tensor cannot be read synchronously, so none crosses backends). The nearest
 * resize gradient is checked by hand: the cpu backend's is wrong for batch > 1.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src-main/engine/backends';
import { segmentationLoss } from '../../../src-main/engine/loss';
import { webgpuSkipReason } from '../../helpers/webgpu';
import { seededValues, relErr } from '../../helpers/numeric';

type Shape = number[];
/** Returns the outputs to compare; each input is a differentiable tensor of its shape. */
type Case = (...xs: tf.Tensor[]) => tf.Tensor;

/** f's value and the gradient of Σ f·r for each input, read back asynchronously. */
async function run(backend: string, f: Case, shapes: Shape[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const xs = shapes.map((shape, i) => tf.tensor(seededValues(shape, i + 1), shape));
  const y = tf.tidy(() => f(...xs));
  const r = tf.tensor(seededValues(y.shape, 99), y.shape);
  const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), r)))(xs);
  const out = await Promise.all([y, ...grads].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([...xs, y, r, ...grads]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

async function expectMatchesCpu(f: Case, shapes: Shape[]): Promise<void> {
  const want = await run('cpu', f, shapes);
  const got = await run('webgpu', f, shapes);
  got.forEach((g, i) => expect(relErr(g, want[i]!), `output ${i}`).toBeLessThan(1e-4));
}

const x4 = (t: tf.Tensor) => t as tf.Tensor4D;

describe.skipIf(webgpuSkipReason !== null)('WebGPU kernels against the cpu backend', () => {
  beforeAll(async () => {
    // Registers SkipSeg's gradients, which both backends then use.
    await chooseBackend('webgpu');
    // Tensors this small would otherwise run on tfjs's cpu kernels inside the backend.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  });

  it.each([
    ['stride 1', 1, 1],
    ['stride 2', 2, 1],
    ['dilation 2', 1, 2],
  ])('conv2d, %s', async (_, stride, dilation) => {
    const f: Case = (x, w) => tf.conv2d(x4(x), x4(w), stride, 'same', 'NHWC', dilation);
    await expectMatchesCpu(f, [
      [2, 8, 8, 3],
      [3, 3, 3, 4],
    ]);
  });

  it('fused conv2d with bias and ReLU, as the layers call it', async () => {
    const f: Case = (x, w, b) =>
      tf.fused.conv2d({
        x: x4(x),
        filter: x4(w),
        strides: 1,
        pad: 'same',
        bias: b,
        activation: 'relu',
      });
    await expectMatchesCpu(f, [[2, 6, 6, 2], [3, 3, 2, 3], [3]]);
  });

  it('conv2dTranspose, 2× up-sampling', async () => {
    const f: Case = (x, w) => tf.conv2dTranspose(x4(x), x4(w), [2, 8, 8, 2], 2, 'same');
    await expectMatchesCpu(f, [
      [2, 4, 4, 3],
      [2, 2, 2, 3],
    ]);
  });

  it.each([1, 2])('depthwise and separable conv2d, dilation %i', async (dilation) => {
    const depthwise: Case = (x, w) => tf.depthwiseConv2d(x4(x), x4(w), 1, 'same', 'NHWC', dilation);
    await expectMatchesCpu(depthwise, [
      [2, 8, 8, 3],
      [3, 3, 3, 1],
    ]);
    const separable: Case = (x, w, p) =>
      tf.separableConv2d(x4(x), x4(w), x4(p), 1, 'same', dilation);
    await expectMatchesCpu(separable, [
      [2, 8, 8, 3],
      [3, 3, 3, 1],
      [1, 1, 3, 4],
    ]);
  });

  it('max pool 2×2, stride 2', async () => {
    await expectMatchesCpu((x) => tf.maxPool(x4(x), 2, 2, 'same'), [[2, 6, 6, 3]]);
  });

  it('batch norm over the batch, as in training', async () => {
    const f: Case = (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, b, g, 1e-3);
    };
    await expectMatchesCpu(f, [[2, 4, 4, 3], [3], [3]]);
  });

  it('bilinear resize, forward and (square, where cpu is right) gradient', async () => {
    await expectMatchesCpu((x) => tf.image.resizeBilinear(x4(x), [8, 8]), [[2, 4, 4, 3]]);
  });

  it('softmax and the segmentation loss, with ignored pixels', async () => {
    const labels = Int32Array.from(seededValues([2, 4, 4], 7), (v) =>
      v > 0.35 ? 255 : v > 0 ? 1 : 0,
    );
    const f: Case = (logits) => {
      const ys = tf.tensor3d(labels, [2, 4, 4], 'int32');
      const probs = tf.softmax(logits) as tf.Tensor4D;
      const loss = segmentationLoss(probs, ys, { classWeights: [1, 2] });
      ys.dispose();
      return loss;
    };
    await expectMatchesCpu(f, [[2, 4, 4, 2]]);
  });

  it('nearest resize: each input gets the sum of its 2×2 block, batch 3', async () => {
    await tf.setBackend('webgpu');
    const rv = seededValues([3, 8, 10, 2], 2);
    const x = tf.tensor4d(seededValues([3, 4, 5, 2], 1), [3, 4, 5, 2]);
    const r = tf.tensor4d(rv, [3, 8, 10, 2]);
    const up = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(x4(t), [8, 10]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(up(t), r)))(x);
    const got = (await grad.data()) as Float32Array;
    // Output pixel (i, j) of image b comes from input (i >> 1, j >> 1).
    const byHand = new Float32Array(3 * 4 * 5 * 2);
    rv.forEach((v, k) => {
      const [c, j] = [k % 2, Math.floor(k / 2) % 10];
      const [i, b] = [Math.floor(k / 20) % 8, Math.floor(k / 160)];
      byHand[((b * 4 + (i >> 1)) * 5 + (j >> 1)) * 2 + c]! += v;
    });
    expect(relErr(got, byHand)).toBeLessThan(1e-6);
    tf.dispose([x, r, grad]);
  });
});
