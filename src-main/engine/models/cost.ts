/**
 * What a model costs: its weights, and the arithmetic of one forward pass.
 */
import type * as tf from '@tensorflow/tfjs';

/** Number of weights, trainable or not (batch norm's moving statistics included). */
export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}

function product(values: readonly (number | null)[]): number {
  return values.reduce<number>((acc, v) => {
    if (v == null) throw new Error('cost needs static shapes: build with inputSize set');
    return acc * v;
  }, 1);
}

/** Pixels of a single [N, ...spatial, C] shape: the product of its middle dims. */
function pixels(shape: tf.Shape | tf.Shape[]): number {
  const single = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
  return product(single.slice(1, -1));
}

function inputShapeOf(layer: tf.layers.Layer): tf.Shape {
  const input = Array.isArray(layer.input) ? layer.input[0] : layer.input;
  if (!input) throw new Error(`${layer.name} has no input`);
  return input.shape;
}

/** Weights per pixel summed over a layer's kernels (a separable conv has two). */
function kernelSize(layer: tf.layers.Layer): number {
  return layer.weights
    .filter((w) => w.originalName.endsWith('kernel'))
    .reduce((acc, w) => acc + product(w.shape), 0);
}

/**
 * Multiply-adds of one image through the model's convs, transposed convs and dense layers.
 * Dilation does not change the count; norms, pools, activations and resizes are left out.
 * Needs static spatial shapes: build the model with `inputSize` set.
 */
export function multiplyAdds(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    switch (layer.getClassName()) {
      case 'Conv2D':
      case 'DepthwiseConv2D':
      case 'SeparableConv2D':
      case 'Dense':
        // Each output pixel costs one pass over the kernel.
        total += pixels(layer.outputShape) * kernelSize(layer);
        break;
      case 'Conv2DTranspose':
        // Each input pixel scatters one kernel's worth into the output.
        total += pixels(inputShapeOf(layer)) * kernelSize(layer);
        break;
    }
  }
  return total;
}
