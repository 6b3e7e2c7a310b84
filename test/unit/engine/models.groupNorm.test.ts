import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, GroupNormalization, type ArchId } from '../../../src-main/engine/models';
import { effectiveGroups } from '../../../src-main/engine/models/groupNorm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GroupNormalization', () => {
  it('normalises each sample and group to mean 0, variance 1 before the affine', () => {
    const before = tf.memory().numTensors;
    const layer = new GroupNormalization({ groups: 3 });
    const [mean, variance] = tf.tidy(() => {
      // Channels far apart in scale and offset, so a per-tensor norm would fail the check.
      const scale = tf.tensor1d([1, 10, 0.5, 3, 7, 2]);
      const x = tf.randomNormal([2, 4, 5, 6], 0, 1, 'float32', 3).mul(scale).add(scale.mul(4));
      const y = layer.apply(x) as tf.Tensor;
      const m = tf.moments(y.reshape([2, 4, 5, 3, 2]), [1, 2, 4]);
      return [m.mean.arraySync() as number[][], m.variance.arraySync() as number[][]];
    });
    for (const value of mean.flat()) expect(Math.abs(value)).toBeLessThan(1e-4);
    for (const value of variance.flat()) expect(value).toBeCloseTo(1, 3);

    expect(layer.trainableWeights.map((w) => w.originalName)).toEqual([
      `${layer.name}/gamma`,
      `${layer.name}/beta`,
    ]);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses the largest group count that divides the channels', () => {
    expect(effectiveGroups(16, 8)).toBe(8);
    expect(effectiveGroups(4, 8)).toBe(4);
    expect(effectiveGroups(12, 8)).toBe(6);
    expect(effectiveGroups(5, 4)).toBe(1);
  });

  // DeepLabV3+ also carries SpatialBroadcast, the other custom layer.
  it.each<ArchId>(['unet', 'deeplabv3plus'])(
    '%s with group norm saves and loads to identical predictions',
    async (arch) => {
      const before = tf.memory().numTensors;
      const cfg = { classes: 3, inputChannels: 1, base: 4, depth: 3, norm: 'group' as const };
      const model = buildModel(arch, cfg);
      // Move gamma and beta off their initial values so the round trip has something to carry.
      for (const layer of model.layers.filter((l) => l instanceof GroupNormalization)) {
        const moved = layer.getWeights().map((w) => tf.randomUniform(w.shape, 0.5, 1.5));
        layer.setWeights(moved);
        tf.dispose(moved);
      }

      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      if (!saved) throw new Error('nothing saved');
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
      expect(loaded.layers.some((l) => l instanceof GroupNormalization)).toBe(true);

      const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 11);
      const [a, b] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
      expect(Array.from(b?.dataSync() ?? [])).toEqual(Array.from(a?.dataSync() ?? []));

      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
