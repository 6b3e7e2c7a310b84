/**
 * A training step on random data, for the benches: a model built as the engine builds it,
 * its Adam optimizer, and one batch of noise with random labels. What `skipseg bench` and
 * the scripts in bench/ time.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../../shared/engineProtocol';
import { segmentationLoss } from './loss';
import { buildModel } from './models';

/** The model settings every bench uses: two classes, grey input, batch norm. */
function benchConfig(base: number, depth: number) {
  return { classes: 2, inputChannels: 1, base, depth, norm: 'batch' as const };
}

export interface SyntheticStep {
  cfg: ReturnType<typeof benchConfig>;
  model: tf.LayersModel;
  /** [batch, size, size, 1] float32 noise. */
  x: tf.Tensor4D;
  /** One Adam step over the batch; the caller disposes the loss it returns. */
  train(): tf.Scalar;
  /** One step, awaited to the end (the loss read back); its milliseconds. */
  timed(): Promise<number>;
  /** Frees the model, the optimizer and the batch. */
  dispose(): void;
}

export function syntheticStep(
  arch: ArchName,
  o: { size: number; batch: number; base?: number; depth?: number },
): SyntheticStep {
  const cfg = benchConfig(o.base ?? 16, o.depth ?? 4);
  const model = buildModel(arch, cfg);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([o.batch, o.size, o.size, 1]) as tf.Tensor4D;
  const y = tf.randomUniform([o.batch, o.size, o.size], 0, 2, 'int32') as tf.Tensor3D;
  const train = () =>
    optimizer.minimize(
      () => segmentationLoss(model.apply(x, { training: true }) as tf.Tensor4D, y),
      true,
    )!;
  return {
    cfg,
    model,
    x,
    train,
    async timed() {
      const start = performance.now();
      const loss = train();
      // `data()`, not `dataSync()`: a WebGPU tensor under Node reads back asynchronously only.
      await loss.data();
      loss.dispose();
      return performance.now() - start;
    },
    dispose() {
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    },
  };
}
