/**
 * Messages between the main side and the engine process (child_process.fork under Node,
 * utilityProcess under Electron). Typed arrays travel as they are: the channel uses
 * structured clone ("advanced" serialization), never JSON.
 */
import { AppError } from './errors';
import type { EvalSummary } from './metrics';

export const BACKEND_IDS = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

/** Reads a backend name from a flag or SKIPSEG_BACKEND; '' and 'auto' mean "choose". */
export function parseBackendId(value: string | undefined): BackendId | null {
  if (value === undefined || value === '' || value === 'auto') return null;
  if ((BACKEND_IDS as readonly string[]).includes(value)) return value as BackendId;
  throw new AppError(
    'BAD_BACKEND',
    `unknown backend "${value}"; choose one of ${BACKEND_IDS.join(', ')} or auto`,
  );
}

/** The status line's reason: how the backend runs and why each faster one does not. */
export function describeBackend(report: BackendReport): string {
  const passed = report.skipped.map((s) => `${s.id}: ${s.why}`);
  return [report.detail, ...passed].join('; ');
}

export const ARCH_IDS = ['encdec', 'unet', 'unet-res', 'fcn8s', 'deeplabv3plus'] as const;
export type ArchName = (typeof ARCH_IDS)[number];

export interface BackendStatus {
  id: BackendId;
  available: boolean;
  /** One sentence a user can act on: why it is (not) available. */
  why: string;
}

export interface BackendReport {
  id: BackendId;
  label: string;
  /** Threads, SIMD, device name. */
  detail: string;
  /** The faster backends that were passed over, each with its reason. */
  skipped: BackendStatus[];
}

/** Where training images come from: folders of images and masks matched by base name. */
export interface FolderData {
  images: string;
  masks: string;
}

export interface TrainSpec {
  train: FolderData;
  /** Explicit validation folders, or a seeded fraction of the training images. */
  val: FolderData | { fraction: number };
  arch: ArchName;
  base: number;
  depth: number;
  /** Stop after this many seconds of training, or after `epochs`, whichever comes first. */
  seconds: number | null;
  epochs: number | null;
  batch: number;
  tile: number;
  seed: number;
  learningRate: number;
  /** The model folder to write (skipseg-model.json, model.json, weights). */
  out: string;
  /** Continue from this model when architecture and classes match. */
  init: string | null;
}

export interface TrainProgress {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  /** Validation metrics after each epoch; null between. */
  val: EvalSummary | null;
  elapsedSeconds: number;
  etaSeconds: number | null;
}

export interface TrainResult {
  out: string;
  epochs: number;
  steps: number;
  seconds: number;
  best: EvalSummary | null;
  backend: BackendId;
  cancelled: boolean;
}

export interface PredictSpec {
  model: string;
  inputs: string[];
  out: string;
}

export interface EvalSpec {
  model: string;
  data: FolderData;
}

// TODO: an 'intermediates' job for the comparison view: the models already name their skip
// tensors (models/intermediates.ts); no message carries them to the renderer yet.
export type EngineJob =
  | { kind: 'train'; spec: TrainSpec }
  | { kind: 'predict'; spec: PredictSpec }
  | { kind: 'eval'; spec: EvalSpec };

export type JobResult =
  | { kind: 'train'; result: TrainResult }
  | { kind: 'predict'; result: { written: string[]; skipped: { path: string; reason: string }[] } }
  | { kind: 'eval'; result: EvalSummary };

/** Main → engine. */
export type ToEngine =
  | { type: 'start'; backend: BackendId | null }
  | { type: 'job'; id: number; job: EngineJob }
  | { type: 'cancel'; id: number };

/** Engine → main. */
export type FromEngine =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'progress'; id: number; progress: TrainProgress }
  | { type: 'done'; id: number; result: JobResult }
  | { type: 'failed'; id: number | null; code: string; message: string };
