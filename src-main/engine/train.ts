/**
 * The training loop: random augmented crops from the training images, class-weighted
 * cross-entropy + soft Dice, Adam with a cosine schedule, validation after every epoch,
 * and the checkpoint that is best on validation kept in the model folder. Stops on the
 * time budget, the epoch count or a cancel, whichever comes first.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import type { BackendId, TrainProgress, TrainResult, TrainSpec } from '../../shared/engineProtocol';
import { accumulate, evaluateImage, type EvalSummary } from '../../shared/metrics';
import { MODEL_META_VERSION, type ModelMeta } from '../../shared/modelMeta';
import { NOT_LABELLED } from '../../shared/project';
import { augment, mulberry32 } from './augment';
import { pixelStats, type Sample } from './data';
import { predictImage } from './infer';
import { classWeightsFromCounts, segmentationLoss } from './loss';
import { buildModel } from './models';
import { loadModel, saveModel } from './modelStore';
import { loadTrainData } from './trainData';
import { normForBatch, planTrainSize } from './trainSize';

export interface TrainHooks {
  backend: BackendId;
  onProgress(progress: TrainProgress): void;
  log(message: string): void;
  isCancelled(): boolean;
}

/**
 * Trains `spec.arch` on the spec's data. A null batch or tile is chosen from the memory
 * estimate and the backend's budget; a given size that would not fit is refused with a
 * MemoryBudgetError before the model is built.
 */
export async function train(spec: TrainSpec, hooks: TrainHooks): Promise<TrainResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const random = mulberry32(spec.seed);

  const { set: trainSet, trainSamples, valSamples } = await loadTrainData(spec, random);
  for (const s of trainSet.skipped) hooks.log(`skipped ${s.reason}`);
  const images = `${trainSamples.length} training and ${valSamples.length} validation images`;
  hooks.log(`${images}, ${trainSet.classes} classes`);
  const { batch, tile } = planTrainSize(spec, trainSet, trainSamples, hooks);

  const classWeights = classWeightsFromCounts(countClasses(trainSamples, trainSet.classes));
  const meta: ModelMeta = {
    version: MODEL_META_VERSION,
    arch: spec.arch,
    base: spec.base,
    depth: spec.depth,
    norm: normForBatch(batch),
    classes: trainSet.classes,
    inputChannels: trainSet.inputChannels,
    normalisation: pixelStats(trainSamples),
    tile,
    createdAt: new Date().toISOString(),
    dataFingerprint: fingerprint(trainSamples),
    trainImages: trainSamples.length,
    backend: hooks.backend,
    seconds: 0,
    epochs: 0,
    val: null,
  };
  const model = await initialModel(spec, meta, hooks);
  const { mean, std } = meta.normalisation;
  const normalise = (v: number) => (v - mean) / std;
  const trainNorm = trainSamples.map((s): Sample => ({ ...s, image: s.image.map(normalise) }));
  const optimizer = tf.train.adam(spec.learningRate);

  const cropsPerImage = (s: Sample) => Math.ceil(s.width / tile) * Math.ceil(s.height / tile);
  const crops = trainNorm.reduce((n, s) => n + cropsPerImage(s), 0);
  const stepsPerEpoch = Math.max(1, Math.ceil(crops / batch));
  const maxEpochs = spec.epochs ?? Number.POSITIVE_INFINITY;
  const budget = spec.seconds ?? Number.POSITIVE_INFINITY;
  let best: EvalSummary | null = null;
  let epoch = 0;
  let step = 0;
  let cancelled = false;
  /** The last validation's seconds: the last epoch validates too, after the budget ends. */
  let validationSeconds = 0;

  try {
    while (epoch < maxEpochs && elapsed() < budget && !cancelled) {
      for (let i = 0; i < stepsPerEpoch; i++) {
        if (hooks.isCancelled()) {
          cancelled = true;
          break;
        }
        const fraction = Math.min(
          1,
          Math.max(elapsed() / budget, (epoch + i / stepsPerEpoch) / maxEpochs),
        );
        setLearningRate(
          optimizer,
          spec.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * fraction))),
        );
        const loss = await trainStep(
          model,
          optimizer,
          trainNorm,
          { batch, tile },
          classWeights,
          random,
        );
        step++;
        hooks.onProgress(progress(epoch, i + 1, stepsPerEpoch, loss, null));
        if (elapsed() >= budget) break;
      }
      epoch++;
      if (cancelled && best) break;
      const validationStart = elapsed();
      const val = await validate(model, meta, valSamples);
      validationSeconds = elapsed() - validationStart;
      hooks.onProgress(progress(epoch - 1, stepsPerEpoch, stepsPerEpoch, Number.NaN, val));
      const line = `epoch ${epoch}: val mIoU ${fmt(val.miou)}, boundary F1 ${fmt(val.boundaryF1)}`;
      if (best === null || (val.miou ?? -1) > (best.miou ?? -1)) {
        best = val;
        await saveModel(spec.out, model, { ...meta, seconds: elapsed(), epochs: epoch, val });
        hooks.log(`${line} (best; saved)`);
      } else {
        hooks.log(line);
      }
    }
  } finally {
    model.dispose();
    optimizer.dispose();
  }
  const seconds = elapsed();
  return {
    out: spec.out,
    epochs: epoch,
    steps: step,
    seconds,
    best,
    backend: hooks.backend,
    cancelled,
    batch,
    tile,
  };

  function progress(
    e: number,
    s: number,
    per: number,
    loss: number,
    val: EvalSummary | null,
  ): TrainProgress {
    const done = (e * per + s) / (per * maxEpochs);
    const byTime = Number.isFinite(budget)
      ? Math.max(0, budget - elapsed()) + validationSeconds
      : null;
    const byEpochs =
      Number.isFinite(maxEpochs) && done > 0 ? (elapsed() / done) * (1 - done) : null;
    const eta =
      byTime === null ? byEpochs : byEpochs === null ? byTime : Math.min(byTime, byEpochs);
    return {
      epoch: e + 1,
      step: s,
      stepsPerEpoch: per,
      loss,
      val,
      elapsedSeconds: elapsed(),
      etaSeconds: eta,
    };
  }
}

async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  samples: readonly Sample[],
  size: { batch: number; tile: number },
  classWeights: number[],
  random: () => number,
): Promise<number> {
  const { tile, batch } = size;
  const channels = samples[0]!.channels;
  const x = new Float32Array(batch * tile * tile * channels);
  const y = new Int32Array(batch * tile * tile);
  for (let b = 0; b < batch; b++) {
    const sample = samples[Math.floor(random() * samples.length)]!;
    const crop = augment(sample, { tile }, random);
    x.set(crop.image, b * tile * tile * channels);
    y.set(crop.mask, b * tile * tile);
  }
  const loss = tf.tidy(() => {
    const xs = tf.tensor4d(x, [batch, tile, tile, channels]);
    const ys = tf.tensor3d(y, [batch, tile, tile], 'int32');
    return optimizer.minimize(() => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor4D;
      return segmentationLoss(probs, ys, { classWeights });
    }, true)!;
  });
  const value = (await loss.data())[0]!;
  loss.dispose();
  return value;
}

export async function validate(
  model: tf.LayersModel,
  meta: ModelMeta,
  samples: readonly Sample[],
): Promise<EvalSummary> {
  const evals = [];
  for (const s of samples) {
    const prediction = await predictImage(model, meta, s.image, s.width, s.height);
    evals.push(evaluateImage(prediction.classes, s.mask, s.width, s.height, meta.classes));
  }
  return accumulate(evals, meta.classes);
}

/**
 * The model to train: `spec.init` when its shape matches `meta` (it then keeps its input
 * normalisation, which `meta` takes over, so its weights see inputs as before), else a new one.
 */
async function initialModel(
  spec: TrainSpec,
  meta: ModelMeta,
  hooks: TrainHooks,
): Promise<tf.LayersModel> {
  if (spec.init) {
    const { model, meta: old } = await loadModel(spec.init);
    const keys = ['arch', 'classes', 'inputChannels', 'base', 'depth', 'norm'] as const;
    if (keys.every((k) => old[k] === meta[k])) {
      hooks.log(`continuing from ${spec.init}`);
      meta.normalisation = old.normalisation;
      return model;
    }
    model.dispose();
    hooks.log(`${spec.init} has other classes, channels or architecture; starting fresh`);
  }
  return buildModel(spec.arch, {
    classes: meta.classes,
    inputChannels: meta.inputChannels,
    base: meta.base,
    depth: meta.depth,
    norm: meta.norm,
  });
}

function countClasses(samples: readonly Sample[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const s of samples)
    for (const v of s.mask) if (v !== NOT_LABELLED && v < classes) counts[v]!++;
  return counts;
}

function fingerprint(samples: readonly Sample[]): string {
  const hash = createHash('sha256');
  for (const s of samples) hash.update(`${s.name}:${s.width}x${s.height};`);
  return hash.digest('hex').slice(0, 16);
}

function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  // Adam reads its rate on every step; tfjs exposes no setter, the field is mutable.
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

function fmt(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(3);
}
