/**
 * tf.layers' BatchNormalization, but training on one fused kernel where the backend has it
 * (wasm: src-main/engine/wasm/batchNormTraining.ts) instead of tfjs's chain of moments and
 * broadcast ops. It computes the same values, updates the moving statistics the same way,
 * and serialises under the same class name, so saved models stay plain tfjs models; it is
 * registered for that name, so a model loaded to be fine-tuned trains fused as well.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, hasBatchNormTraining } from '../wasm/batchNormTraining';

type StockBatchNorm = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** The stock layer's fields this one reads (private in tfjs's typings). */
interface Fields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

// tfjs exports the factory, not the class.
type StockClass = (new (args?: BatchNormArgs) => StockBatchNorm) &
  Pick<typeof tf.layers.Layer, 'fromConfig'>;
const Stock = tf.layers.batchNormalization().constructor as StockClass;

export class FusedBatchNormalization extends Stock {
  static readonly className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const f = this as unknown as Fields;
    const lastAxis = f.axis === -1 || f.axis === x.rank - 1;
    const affine = f.center && f.scale && x.dtype === 'float32';
    const fusable = kwargs.training === true && lastAxis && affine;
    if (!fusable || !hasBatchNormTraining()) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(x, f.gamma.read(), f.beta.read(), f.epsilon);
      // The same update as tfjs's: moving ← moving − (moving − batch)·(1 − momentum).
      for (const [moving, value] of [
        [f.movingMean, mean],
        [f.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const old = moving.read();
          moving.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - f.momentum)));
        });
      }
      return y;
    });
  }
}

tf.serialization.registerClass(FusedBatchNormalization);

export function batchNormalization(args?: BatchNormArgs): FusedBatchNormalization {
  return new FusedBatchNormalization(args);
}
