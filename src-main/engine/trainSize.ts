/**
 * Batch and tile for training, from the memory estimate and the backend's budget: chosen
 * when the spec leaves them null, checked when it gives them, so that a size that cannot fit
 * is refused in one sentence before a model is built, not found by an allocation failure.
 */
import type { BackendId, TrainSpec } from '../../shared/engineProtocol';
import type { NormKind } from './models';
import {
  footprintFor,
  formatBytes,
  largestTensorBytes,
  trainingBytes,
  type MemoryEstimate,
  type ModelFootprint,
} from './memory';
import { MemoryBudgetError, memoryBudget, type MemoryBudget } from './memoryBudget';

/**
 * Largest automatic batch and tile. On a time budget, batch 4 beat larger ones: wasm's time
 * per image barely changes with the batch, so smaller batches mean more updates (ISBI U-Net,
 * 300 s: mIoU 0.764 at batch 4 against 0.71–0.72 at the memory-fitting batch 6).
 */
export const MAX_AUTO_BATCH = 4;
export const MAX_AUTO_TILE = 256;

/** Automatic sizes fill at most this share of the budget: the estimate is not exact. */
export const AUTO_FILL = 0.9;

/** Batch norm needs two images to normalise over; a batch of one trains with group norm. */
export function normForBatch(batch: number): NormKind {
  return batch >= 2 ? 'batch' : 'group';
}

export interface TrainSizeRequest {
  /** Footprint of the model with batch norm; batch 1 is estimated with group norm. */
  footprint: ModelFootprint;
  /** Null: choose. */
  batch: number | null;
  /** Null: choose a multiple of 2^depth. */
  tile: number | null;
  depth: number;
  /** The shortest side of the smallest training image, in pixels: no auto tile exceeds it. */
  imageSide: number;
  budget: MemoryBudget;
  /** What is trained, for messages: "unet (base 16, depth 4)". */
  what: string;
}

export interface TrainSize {
  batch: number;
  tile: number;
  estimate: MemoryEstimate;
  /** Whether batch and tile were chosen here (false: both given and checked). */
  isAuto: boolean;
}

function estimate(req: TrainSizeRequest, batch: number, tile: number): MemoryEstimate {
  const fp = { ...req.footprint, norm: normForBatch(batch) };
  return trainingBytes(fp, batch, tile, req.budget.backend);
}

/** Whether the largest tensor of a step fits the backend's cap on one tensor, if it has one. */
function tensorFits(req: TrainSizeRequest, batch: number, tile: number): boolean {
  const cap = req.budget.maxTensorBytes;
  return cap === undefined || largestTensorBytes(req.footprint, batch, tile) <= cap;
}

/** Tiles to try, largest first: multiples of 2^depth up to 256 and the image's side. */
function autoTiles(depth: number, imageSide: number): number[] {
  const step = 2 ** depth;
  const top = Math.max(step, Math.floor(Math.min(MAX_AUTO_TILE, imageSide) / step) * step);
  const tiles: number[] = [];
  for (let t = top; t >= step; t -= step) tiles.push(t);
  return tiles;
}

/**
 * The batch and tile to train with. Automatic choice takes the largest tile at which a batch
 * of at least 2 fits within AUTO_FILL of the budget, then the largest batch there (batch 1
 * only where no tile fits 2). A size over the budget, given or the smallest possible, throws
 * MemoryBudgetError.
 */
export function chooseTrainSize(req: TrainSizeRequest): TrainSize {
  const { budget } = req;
  if (req.batch !== null && req.tile !== null) {
    const est = estimate(req, req.batch, req.tile);
    if (!tensorFits(req, req.batch, req.tile)) throw tensorRefusal(req, req.batch, req.tile);
    if (est.total > budget.bytes) throw refusal(req, req.batch, req.tile, est);
    return { batch: req.batch, tile: req.tile, estimate: est, isAuto: false };
  }
  const room = budget.bytes * AUTO_FILL;
  const tiles = req.tile !== null ? [req.tile] : autoTiles(req.depth, req.imageSide);
  const batches = req.batch !== null ? [req.batch] : range(MAX_AUTO_BATCH, 1);
  const fits = (b: number, t: number) => estimate(req, b, t).total <= room && tensorFits(req, b, t);
  const floor = req.batch === null ? 2 : req.batch;
  for (const minBatch of floor > 1 ? [floor, 1] : [1]) {
    for (const tile of tiles) {
      const batch = batches.find((b) => b >= minBatch && fits(b, tile));
      if (batch === undefined) continue;
      return { batch, tile, estimate: estimate(req, batch, tile), isAuto: true };
    }
  }
  // Nothing fits with room to spare: the smallest size still runs if it is within budget.
  const batch = batches.at(-1)!;
  const tile = tiles.at(-1)!;
  const est = estimate(req, batch, tile);
  if (!tensorFits(req, batch, tile)) throw tensorRefusal(req, batch, tile);
  if (est.total > budget.bytes) throw refusal(req, batch, tile, est);
  return { batch, tile, estimate: est, isAuto: true };
}

/**
 * The batch and tile `spec` trains with on `backend`, for data of `classes` and channels whose
 * smallest image is in `samples`; logs the choice with its estimate. Throws MemoryBudgetError.
 */
export function planTrainSize(
  spec: TrainSpec,
  data: { classes: number; inputChannels: number },
  samples: readonly { width: number; height: number }[],
  hooks: { backend: BackendId; log(message: string): void },
): TrainSize {
  const { arch, base, depth } = spec;
  const cfg = { classes: data.classes, inputChannels: data.inputChannels, base, depth };
  const budget = memoryBudget(hooks.backend);
  const size = chooseTrainSize({
    footprint: footprintFor(arch, { ...cfg, norm: 'batch' }),
    batch: spec.batch,
    tile: spec.tile,
    depth,
    imageSide: samples.reduce((m, s) => Math.min(m, s.width, s.height), Infinity),
    budget,
    what: `${arch} (base ${base}, depth ${depth})`,
  });
  const how = size.isAuto ? 'chosen for' : 'checked against';
  const need = `about ${formatBytes(size.estimate.total)}`;
  const have = `the ${formatBytes(budget.bytes)} the ${budget.backend} backend has`;
  hooks.log(`batch ${size.batch}, tile ${size.tile} (${how} memory): ${need} of ${have}`);
  return size;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v >= to; v--) out.push(v);
  return out;
}

/** One sentence: the size, its estimate, the budget and what to lower. */
function refusal(req: TrainSizeRequest, batch: number, tile: number, est: MemoryEstimate) {
  const { budget } = req;
  const need = `batch ${batch} at tile ${tile} needs about ${formatBytes(est.total)} to train`;
  const have = `the ${formatBytes(budget.bytes)} the ${budget.backend} backend has (${budget.why})`;
  return new MemoryBudgetError(
    'TOO_BIG_FOR_MEMORY',
    `${need} ${req.what}, more than ${have}; ${advice(req, batch, tile)}`,
  );
}

/** One sentence: a tensor of the step is larger than one buffer of the backend can hold. */
function tensorRefusal(req: TrainSizeRequest, batch: number, tile: number) {
  const bytes = largestTensorBytes(req.footprint, batch, tile);
  const cap = formatBytes(req.budget.maxTensorBytes ?? 0);
  const need = `batch ${batch} at tile ${tile} makes a tensor of about ${formatBytes(bytes)}`;
  const have = `larger than the ${cap} one buffer of the ${req.budget.backend} adapter holds`;
  const lower = advice(req, batch, tile);
  return new MemoryBudgetError('TOO_BIG_FOR_MEMORY', `${need} in ${req.what}, ${have}; ${lower}`);
}

/** What to lower, naming the largest batch (or else tile) that fits; searches are capped. */
function advice(req: TrainSizeRequest, batch: number, tile: number): string {
  const fits = (b: number, t: number) =>
    estimate(req, b, t).total <= req.budget.bytes && tensorFits(req, b, t);
  const smallerBatch = range(Math.min(batch - 1, 1024), 1).find((b) => fits(b, tile));
  const step = 2 ** req.depth;
  const smallerTile = range(Math.floor((Math.min(tile, 8192) - 1) / step), 1)
    .map((k) => k * step)
    .find((t) => fits(batch, t));
  const auto = 'or leave --batch and --tile out to have them chosen';
  if (smallerBatch !== undefined) return `lower --batch to ${smallerBatch} or --tile, ${auto}`;
  if (smallerTile !== undefined) return `lower --tile to ${smallerTile} or --batch, ${auto}`;
  if (!fits(1, step)) return 'lower --base or --depth: batch 1 at the smallest tile is too big';
  return `lower --batch and --tile, ${auto}`;
}
