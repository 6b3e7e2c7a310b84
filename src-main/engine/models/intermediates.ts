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
    const parsed = parseIntermediateName(layer.name);
    if (parsed?.kind !== kind) continue;
    const rank = roles.indexOf(parsed.role);
    if (rank >= 0) found.push({ layer, level: parsed.level, rank });
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

/** Where an intermediate sits, read from its name; null for a name of no intermediate. */
export function parseIntermediateName(
  name: string,
): { kind: keyof typeof ROLES; level: number; role: string } | null {
  const match = NAMED.exec(name);
  if (!match) return null;
  return { kind: match[1] as keyof typeof ROLES, level: Number(match[2]), role: match[3]! };
}

/**
 * A model with the same input whose outputs are [prediction, ...intermediates], in the order
 * of `intermediateNames` (`outputNames` lists them), or only those in `names` when given. It
 * shares the model's layers and weights, so it reflects training done since. Its dispose()
 * frees nothing: dispose the model instead, after which the view is unusable.
 */
export function withIntermediates(
  model: tf.LayersModel,
  arch: ArchId,
  names?: readonly string[],
): tf.LayersModel {
  const prediction = model.outputs[0];
  if (!prediction) throw new Error(`${model.name} has no output`);
  const all = namedLayers(model, arch === 'encdec' ? 'decoder' : 'skip');
  const named = names ? all.filter((n) => names.includes(n.layer.name)) : all;
  if (named.length === 0) throw new Error(`${model.name} has no ${arch} intermediates`);

  const outputs = [prediction, ...named.map((n) => n.layer.output as tf.SymbolicTensor)];
  const view = tf.model({ inputs: model.inputs, outputs, name: `${model.name}-intermediates` });
  // Container.dispose() would dispose every shared layer's weights from under the model.
  view.dispose = () => ({ refCountAfterDispose: 0, numDisposedVariables: 0 });
  return view;
}
