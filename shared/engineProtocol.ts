/**
 * Messages between the main side and the engine process (child_process.fork under Node,
 * utilityProcess under Electron). Typed arrays travel as they are: the channel uses
 * structured clone ("advanced" serialization), never JSON.
 */
import { AppError } from './errors';
import type { IntermediatesResult, IntermediatesSpec } from './intermediates';
import type { EvalSummary } from './metrics';

export type {
  IntermediateRole,
  IntermediateTensor,
  IntermediatesResult,
  IntermediatesSpec,
  PixelData,
} from './intermediates';

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

/**
 * The engine's report as doctor's lines, fastest first: each faster backend passed over
 * and why, then the one running. What `SkipSeg --doctor` prints from the app's own engine.
 */
export function reportLines(report: BackendReport): string[] {
  return [
    ...report.skipped.map((s) => doctorLine(false, s.id, s.why)),
    doctorLine(true, report.id, `${report.label}: ${report.detail}`),
  ];
}

/** One line of doctor: whether the backend can run, its id in a column, then the words. */
export function doctorLine(isAvailable: boolean, id: string, text: string): string {
  return `${isAvailable ? 'yes' : 'no '}  ${id.padEnd(15)} ${text}`;
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

/** One image file and its mask file, by absolute path. */
export interface FilePair {
  image: string;
  mask: string;
}

/**
 * Image and mask files listed pair by pair, as a project keeps them. A mask pixel is always
 * a class id and 255 is not labelled: the 0/255 binary reading of folder masks never applies.
 */
export interface PairData {
  pairs: FilePair[];
}

export type TrainData = FolderData | PairData;

export interface TrainSpec {
  train: TrainData;
  /**
   * Explicit validation data, or a seeded fraction of the training images. Empty pairs
   * validate on the training images (a project with one labelled image has nothing to hold out).
   */
  val: TrainData | { fraction: number };
  /**
   * Output classes including background; absent or null: the largest class id in the masks
   * + 1. Mask pixels at or above it are read as not labelled.
   */
  classes?: number | null;
  arch: ArchName;
  base: number;
  depth: number;
  /** Stop after this many seconds of training, or after `epochs`, whichever comes first. */
  seconds: number | null;
  epochs: number | null;
  /** Images per step; null: the largest (≤ 4) that fits the backend's memory with the tile. */
  batch: number | null;
  /**
   * Side of the square training crops in pixels, a multiple of 2^depth; null: the largest
   * (≤ 256 and ≤ the smallest image's side) at which a batch of 2 or more fits in memory.
   */
  tile: number | null;
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
  /** The batch and tile trained with: the spec's, or those chosen from memory. */
  batch: number;
  tile: number;
}

export interface PredictSpec {
  model: string;
  inputs: string[];
  out: string;
}

export interface EvalSpec {
  model: string;
  data: TrainData;
}

/** One image to propose a mask for: `out` receives an 8-bit PNG of class ids. */
export interface ProposeItem {
  /** The caller's name for the image (an image id), echoed back. */
  key: string;
  image: string;
  out: string;
}

export interface ProposeSpec {
  /** A model folder. */
  model: string;
  items: ProposeItem[];
}

/** A proposal written: how sure the model was over the image's pixels. */
export interface ProposedImage {
  key: string;
  out: string;
  /** Mean over pixels of the top class probability, in [0, 1]. */
  confidence: number;
  /** Share of pixels whose top class probability is below 0.75, in [0, 1]. */
  uncertainShare: number;
}

export interface ProposeResult {
  proposed: ProposedImage[];
  skipped: { key: string; reason: string }[];
  /** True when a cancel stopped the job before its last image. */
  cancelled: boolean;
}

export type EngineJob =
  | { kind: 'train'; spec: TrainSpec }
  | { kind: 'predict'; spec: PredictSpec }
  | { kind: 'eval'; spec: EvalSpec }
  | { kind: 'intermediates'; spec: IntermediatesSpec }
  | { kind: 'propose'; spec: ProposeSpec };

export type JobResult =
  | { kind: 'train'; result: TrainResult }
  | { kind: 'predict'; result: { written: string[]; skipped: { path: string; reason: string }[] } }
  | { kind: 'eval'; result: EvalSummary }
  | { kind: 'intermediates'; result: IntermediatesResult }
  | { kind: 'propose'; result: ProposeResult };

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
  /** A propose job's image is written; sent as each lands, before the job's 'done'. */
  | { type: 'proposed'; id: number; item: ProposedImage }
  | { type: 'done'; id: number; result: JobResult }
  | { type: 'failed'; id: number | null; code: string; message: string };
