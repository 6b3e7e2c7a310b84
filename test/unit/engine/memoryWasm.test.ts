/**
 * The training estimate against a measured step on the wasm backend, in a fresh process (the
 * heap only grows). The estimate must cover tfjs's peak tensor bytes and the heap's growth, and
 * stay within ESTIMATE_SLACK of the peak, so automatic sizes do not waste much of the heap.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentationLoss } from '../../../src-main/engine/loss';
import { footprintOf, trainingBytes } from '../../../src-main/engine/memory';
import { buildModel } from '../../../src-main/engine/models';
import { initWasm } from '../../../src-main/engine/wasm/setup';

/** How far above the measured peak the estimate may be (memory.ts documents the factors). */
const ESTIMATE_SLACK = 1.6;

function heapBytes(): number {
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
}

beforeAll(async () => {
  await initWasm();
});

describe('the training estimate on wasm', () => {
  it.each([
    ['unet', 2],
    ['unet-res', 1],
  ] as const)('%s at batch %i covers a measured Adam step, within slack', async (arch, batch) => {
    expect(tf.getBackend()).toBe('wasm');
    const heapBefore = heapBytes();
    const before = tf.memory().numTensors;
    const tile = 96;
    const norm = batch >= 2 ? 'batch' : 'group';
    const cfg = { classes: 2, inputChannels: 1, base: 8, depth: 3, norm, inputSize: tile } as const;
    const model = buildModel(arch, cfg);
    const estimate = trainingBytes(footprintOf(model), batch, tile);
    const optimizer = tf.train.adam(1e-3);
    const x = tf.randomUniform([batch, tile, tile, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = tf.tidy(() => tf.cast(tf.greater(tf.squeeze(x, [3]), 0.5), 'int32')) as tf.Tensor3D;

    let peak = 0;
    for (let step = 0; step < 2; step++) {
      const profile = await tf.profile(() => {
        const loss = optimizer.minimize(() => {
          const probs = model.apply(x, { training: true }) as tf.Tensor4D;
          return segmentationLoss(probs, y);
        }, true)!;
        loss.dataSync();
        loss.dispose();
      });
      peak = Math.max(peak, profile.peakBytes);
    }
    const heapGrowth = heapBytes() - heapBefore;

    expect(estimate.total).toBeGreaterThanOrEqual(peak);
    expect(estimate.total).toBeGreaterThanOrEqual(heapGrowth);
    expect(estimate.total).toBeLessThanOrEqual(ESTIMATE_SLACK * peak);

    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
