/** Numbers for the kernel tests: seeded noise, and how far a result is from its reference. */
import * as tf from '@tensorflow/tfjs';

/** Noise in [offset, offset + 1) from a linear congruential generator: same seed, same values. */
export function seededValues(shape: readonly number[], seed: number, offset = -0.5): Float32Array {
  let s = seed;
  return new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 + offset;
  });
}

/** `seededValues` as a float32 tensor of `shape`. */
export function seededTensor(shape: number[], seed: number, offset = -0.5): tf.Tensor {
  return tf.tensor(seededValues(shape, seed, offset), shape);
}

/** The largest difference from `reference`, relative to its largest magnitude. */
export function relErr(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return diff / scale;
}
