/**
 * Architectures compared on the same data: each trains on the same images, split, seed and
 * time budget, in turn, in the engine process; then predicts masks for the same validation
 * images. What differs between the rows is the architecture alone, above all its skip
 * connections, so the region and boundary metrics side by side show what the skips buy.
 *
 * `skipseg compare` runs it and prints the table. The app's comparison view is to run the
 * same; it has no window of its own yet.
 */
import { join } from 'node:path';
import type { ArchName, JobResult, TrainProgress, TrainSpec } from '../shared/engineProtocol';
import type { EvalSummary } from '../shared/metrics';
import type { EngineHandle } from './fineTune/host';
import { writeAtomic } from './project/files';

/** How each architecture carries encoder features to its decoder. */
export const ARCH_SKIPS: Readonly<Record<ArchName, string>> = {
  encdec: 'none',
  unet: 'concatenated, every level',
  'unet-res': 'added, every level',
  fcn8s: 'added class scores, 1/8 and 1/16',
  deeplabv3plus: 'concatenated, 1/4 only',
};

/** What every architecture shares: the training spec less its architecture and folder. */
export type CompareSpec = Omit<TrainSpec, 'arch' | 'out' | 'init'> & {
  archs: readonly ArchName[];
  /** One folder: `<arch>/` models, `<arch>/val-masks/` predictions, compare.json. */
  out: string;
};

export interface CompareRow {
  arch: ArchName;
  skips: string;
  /** The model folder. */
  model: string;
  epochs: number;
  steps: number;
  seconds: number;
  batch: number;
  tile: number;
  /** The best checkpoint's validation metrics; null without validation images. */
  val: EvalSummary | null;
  /** Where its masks for the validation images went; null without validation images. */
  masks: string | null;
}

export interface CompareHooks {
  onArch?(arch: ArchName, index: number): void;
  onProgress?(arch: ArchName, progress: TrainProgress): void;
  /** The job to cancel on Ctrl+C; null between jobs. */
  onJob?(id: number | null): void;
}

export const COMPARE_REPORT = 'compare.json';

/** Trains, scores and predicts with each architecture in turn; writes compare.json. */
export async function compareArchitectures(
  engine: Pick<EngineHandle, 'run'>,
  spec: CompareSpec,
  hooks: CompareHooks = {},
): Promise<CompareRow[]> {
  const { archs, out, ...shared } = spec;
  const rows: CompareRow[] = [];
  for (const [index, arch] of archs.entries()) {
    hooks.onArch?.(arch, index);
    const model = join(out, arch);
    const job = await engine.run(
      { kind: 'train', spec: { ...shared, arch, out: model, init: null } },
      (p) => hooks.onProgress?.(arch, p),
    );
    hooks.onJob?.(job.id);
    const result = expectKind(await job.result, 'train');
    hooks.onJob?.(null);
    let masks: string | null = null;
    const inputs = validationImages(shared.val);
    if (inputs.length > 0 && !result.cancelled) {
      masks = join(model, 'val-masks');
      const predicted = await engine.run({ kind: 'predict', spec: { model, inputs, out: masks } });
      expectKind(await predicted.result, 'predict');
    }
    const { epochs, steps, seconds, batch, tile, best } = result;
    rows.push({
      arch,
      skips: ARCH_SKIPS[arch],
      model,
      epochs,
      steps,
      seconds,
      batch,
      tile,
      val: best,
      masks,
    });
    await writeAtomic(
      join(out, COMPARE_REPORT),
      JSON.stringify({ version: 1, rows }, null, 2) + '\n',
    );
    if (result.cancelled) break;
  }
  return rows;
}

/** The validation images to predict: a folder, or a project's files; none for a fraction. */
function validationImages(val: TrainSpec['val']): string[] {
  if ('images' in val) return [val.images];
  if ('pairs' in val) return val.pairs.map((p) => p.image);
  return [];
}

type ResultOf<K extends JobResult['kind']> = Extract<JobResult, { kind: K }>['result'];

function expectKind<K extends JobResult['kind']>(result: JobResult, kind: K): ResultOf<K> {
  if (result.kind !== kind) throw new Error(`a ${kind} job answered with a ${result.kind} result`);
  return result.result as ResultOf<K>;
}

/** The table `skipseg compare` prints: one row per architecture, metrics to 3 places. */
export function compareTable(rows: readonly CompareRow[]): string[] {
  const f = (v: number | null | undefined) =>
    v === null || v === undefined ? '   n/a' : v.toFixed(3).padStart(6);
  const names = (arch: string, skips: string) => `${arch.padEnd(14)} ${skips.padEnd(34)}`;
  const head = `${names('arch', 'skips')}  mIoU  bound.F1  pix.acc  epochs  seconds`;
  return [
    head,
    ...rows.map((r) => {
      const metrics = `${f(r.val?.miou)}  ${f(r.val?.boundaryF1)}   ${f(r.val?.pixelAccuracy)}`;
      const effort = `${String(r.epochs).padStart(6)}  ${r.seconds.toFixed(0).padStart(7)}`;
      return `${names(r.arch, r.skips)} ${metrics}  ${effort}`;
    }),
  ];
}
