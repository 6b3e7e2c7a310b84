/**
 * Gradients of `tf.fused.conv2d`, the op every tf.layers conv calls: with bias, linear or
 * relu, strided or dilated, on wasm against the cpu backend. Linear calls differentiate
 * through FusedConv2D's own gradient, relu ones through Conv2D's; dilated linear ones
 * through SkipSeg's routing (fusedConvDilation.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../src-main/engine/wasm/setup';
import { seededTensor } from '../../helpers/numeric';

type Activation = 'linear' | 'relu';

beforeAll(async () => {
  await initWasm();
});

async function fusedGrads(backend: string, activation: Activation, strides: number, rate: number) {
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const inputs = [
        seededTensor([2, 11, 9, 3], 1),
        seededTensor([3, 3, 3, 5], 2),
        seededTensor([5], 3),
      ];
      const loss = (x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor) => {
        const y = tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: filter as tf.Tensor4D,
          bias,
          strides,
          pad: 'same',
          dilations: rate,
          activation,
        });
        return tf.sum(tf.mul(y, seededTensor(y.shape, 4)));
      };
      const grads = tf.grads((...t: tf.Tensor[]) => loss(t[0]!, t[1]!, t[2]!))(inputs);
      return grads.map((g) => g.dataSync().slice());
    });
  } finally {
    await tf.setBackend('wasm');
  }
}

describe('fused conv2d gradients on wasm', () => {
  it.each([
    ['linear', 1, 1],
    ['linear', 2, 1],
    ['relu', 2, 1],
    ['linear', 1, 2],
    ['relu', 1, 2],
  ] as [Activation, number, number][])('%s, stride %i, rate %i: match cpu', async (act, s, d) => {
    const wasm = await fusedGrads('wasm', act, s, d);
    const cpu = await fusedGrads('cpu', act, s, d);
    wasm.forEach((g, i) => {
      const ref = cpu[i]!;
      let worst = 0;
      let scale = 1e-6;
      ref.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(g[j]! - v));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(worst / scale).toBeLessThan(1e-4);
    });
  });
});
