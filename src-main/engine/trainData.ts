/**
 * The training and validation samples of a TrainSpec: from folders or listed pairs, with
 * validation from its own data or a seeded fraction of the training images.
 */
import type { FilePair, TrainData, TrainSpec } from '../../shared/engineProtocol';
import { DataError, loadFilePairs, loadFolderPairs, type DataSet, type Sample } from './data';

export interface LoadedTrainData {
  /** Every sample read (training and validation), with classes, channels and skips. */
  set: DataSet;
  trainSamples: Sample[];
  /** Never empty: with nothing held out, validation runs on the training samples. */
  valSamples: Sample[];
}

/**
 * Loads `spec`'s data. Listed training and validation pairs are read together, so both
 * share one class count and one input channel count.
 */
export async function loadTrainData(
  spec: TrainSpec,
  random: () => number,
): Promise<LoadedTrainData> {
  if ('pairs' in spec.train && !('images' in spec.val)) {
    const valPairs: FilePair[] = 'pairs' in spec.val ? spec.val.pairs : [];
    const set = await loadFilePairs([...spec.train.pairs, ...valPairs], spec.classes);
    if ('fraction' in spec.val)
      return { set, ...splitFraction(set.samples, spec.val.fraction, random) };
    const held = new Set(valPairs.map((p) => p.image));
    const trainSamples = set.samples.filter((s) => !held.has(s.path));
    if (trainSamples.length === 0) {
      throw new DataError('NO_DATA', 'every readable labelled image is held out for validation');
    }
    const valSamples = set.samples.filter((s) => held.has(s.path));
    return { set, trainSamples, valSamples: valSamples.length > 0 ? valSamples : trainSamples };
  }
  const set = await load(spec.train, spec.classes);
  if ('fraction' in spec.val)
    return { set, ...splitFraction(set.samples, spec.val.fraction, random) };
  const val = await load(spec.val, spec.classes ?? set.classes);
  set.skipped.push(...val.skipped);
  return { set, trainSamples: set.samples, valSamples: val.samples };
}

function load(data: TrainData, classes: number | null | undefined): Promise<DataSet> {
  return 'pairs' in data
    ? loadFilePairs(data.pairs, classes)
    : loadFolderPairs(data.images, data.masks, classes);
}

function splitFraction(samples: readonly Sample[], fraction: number, random: () => number) {
  const order = samples
    .map((s) => ({ s, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((e) => e.s);
  const valCount = samples.length < 2 ? 0 : Math.max(1, Math.round(samples.length * fraction));
  // With a single image there is nothing to hold out: validate on what was trained on.
  const trainSamples = order.slice(valCount);
  return { trainSamples, valSamples: valCount === 0 ? [...samples] : order.slice(0, valCount) };
}
