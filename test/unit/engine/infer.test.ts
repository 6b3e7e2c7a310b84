import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictImage, tileFor } from '../../../src-main/engine/infer';
import { buildModel } from '../../../src-main/engine/models';
import { tinyUNetMeta } from '../../helpers/modelMeta';

const meta = tinyUNetMeta({ normalisation: { mean: 0.5, std: 0.25 }, tile: 32 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('inference on whole images', () => {
  it('rounds tiles up to what the network can downsample', () => {
    expect(tileFor(100, 2)).toBe(100);
    expect(tileFor(101, 4)).toBe(112);
    expect(tileFor(3, 4)).toBe(16);
  });

  it('gives nearly the same map tiled as whole, any size, without leaks', async () => {
    const model = buildModel('unet', { classes: 3, inputChannels: 1, base: 4, depth: 2 });
    // Seeded conv kernels: random initial weights would make the measured gap vary per run.
    let state = 12345;
    const next = () =>
      ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.6;
    const weights = model.getWeights();
    const seeded = weights.map((w) =>
      w.rank === 4 ? tf.tensor(Array.from({ length: w.size }, next), w.shape) : w,
    );
    model.setWeights(seeded);
    tf.dispose(seeded.filter((w, i) => w !== weights[i]));
    const [width, height] = [90, 70];
    const image = Float32Array.from({ length: width * height }, (_, i) => ((i * 7919) % 101) / 100);
    const before = tf.memory().numTensors;
    const whole = await predictImage(model, meta, image, width, height);
    const tiled = await predictImage(model, meta, image, width, height, { tile: 32, batch: 3 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();

    expect(whole.classes).toHaveLength(width * height);
    let gap = 0;
    for (let i = 0; i < whole.classes.length; i++) {
      gap += Math.abs(whole.confidence[i]! - tiled.confidence[i]!);
      expect(whole.confidence[i]).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
    }
    // Tiles see less context at their edges; blending keeps the maps close, not identical.
    // (An untrained net's near-uniform output makes argmax flip easily, so compare values.)
    expect(gap / whole.classes.length).toBeLessThan(0.01);
  });
});
