/**
 * A view of a model that also outputs the tensors the comparison view shows: at each skip the
 * encoder feature, the upsampled decoder feature and their fusion.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArchId } from './config';

const ROLES = {
  skip: ['encoder', 'upsampled', 'fused'],
  decoder: ['upsampled', 'features'],
} as const;
const NAMED = /^(skip|decoder)(\d+)\/(\w+)$/;

interface Named {
  layer: tf.layers.Layer;
  level: number;
  rank: number;
}

function namedLayers(model: tf.LayersModel, kind: keyof typeof ROLES): Named[] {
  const roles: readonly string[] = ROLES[kind];
  const found: Named[] = [];
  for (const layer of model.layers) {
    const match = NAMED.exec(layer.name);
    if (!match || match[1] !== kind) continue;
    const rank = roles.indexOf(match[3] ?? '');
    if (rank >= 0) found.push({ layer, level: Number(match[2]), rank });
  }
  return found.sort((a, b) => a.level - b.level || a.rank - b.rank);
}

/**
 * Names of a model's intermediates, finest level first and, within a level, in the order
 * `skip{i}/encoder`, `skip{i}/upsampled`, `skip{i}/fused` — or, for the skip-less encdec,
 * `decoder{i}/upsampled`, `decoder{i}/features`. Level i's maps are at stride 2^i.
 */
export function intermediateNames(model: tf.LayersModel, arch: ArchId): string[] {
  return namedLayers(model, arch === 'encdec' ? 'decoder' : 'skip').map((n) => n.layer.name);
}

/**
 * A model with the same input whose outputs are [prediction, ...intermediates], in the order
 * of `intermediateNames` (`outputNames` lists them). It shares the model's layers and weights,
 * so it reflects training done since. Its dispose() frees nothing: dispose the model instead,
 * after which the view is unusable.
 */
export function withIntermediates(model: tf.LayersModel, arch: ArchId): tf.LayersModel {
  const prediction = model.outputs[0];
  if (!prediction) throw new Error(`${model.name} has no output`);
  const named = namedLayers(model, arch === 'encdec' ? 'decoder' : 'skip');
  if (named.length === 0) throw new Error(`${model.name} has no ${arch} intermediates`);

  const outputs = [prediction, ...named.map((n) => n.layer.output as tf.SymbolicTensor)];
  const view = tf.model({ inputs: model.inputs, outputs, name: `${model.name}-intermediates` });
  // Container.dispose() would dispose every shared layer's weights from under the model.
  view.dispose = () => ({ refCountAfterDispose: 0, numDisposedVariables: 0 });
  return view;
}
