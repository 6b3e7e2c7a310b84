/**
 * The engine's commands: doctor, train, predict, eval, compare and bench. Train, predict,
 * eval and compare run in the engine process, as in the app; doctor and bench measure in
 * this process.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { AppError } from '../shared/errors';
import {
  ARCH_IDS,
  parseBackendId,
  type ArchName,
  type JobResult,
  type TrainData,
  type TrainSpec,
} from '../shared/engineProtocol';
import type { EvalSummary } from '../shared/metrics';
import { ARCH_SKIPS, COMPARE_REPORT, compareArchitectures, compareTable } from './compare';
import { EngineClient } from './engine/client';
import { collectTrainingData } from './fineTune/trainingData';
import { Project } from './project/project';

export class UsageError extends AppError<'USAGE'> {
  constructor(message: string) {
    super('USAGE', message);
  }
}

function backendFrom(flag: string | undefined) {
  return parseBackendId(flag ?? process.env.SKIPSEG_BACKEND);
}

function int(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name}: "${value}" is not a whole number ≥ ${min}`);
  return n;
}

function num(
  name: string,
  value: string | undefined,
  fallback: number,
  lo: number,
  hi: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < lo || n > hi)
    throw new UsageError(`--${name}: "${value}" is not between ${lo} and ${hi}`);
  return n;
}

export function parseArch(value: string | undefined): ArchName {
  const arch = value ?? 'unet';
  if (!(ARCH_IDS as readonly string[]).includes(arch)) {
    throw new UsageError(
      `--arch: unknown architecture "${arch}"; choose one of ${ARCH_IDS.join(', ')}`,
    );
  }
  return arch as ArchName;
}

function required(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return resolve(value);
}

async function withEngine<T>(
  backendFlag: string | undefined,
  json: boolean,
  body: (engine: EngineClient) => Promise<T>,
) {
  const engine = new EngineClient({
    backend: backendFrom(backendFlag),
    onLog: (_level, message) => {
      if (!json) console.log(message);
    },
  });
  try {
    const backend = await engine.start();
    if (!json) {
      console.log(`backend: ${backend.id} (${backend.detail})`);
      for (const s of backend.skipped) console.log(`  not ${s.id}: ${s.why}`);
    }
    return await body(engine);
  } finally {
    await engine.stop();
  }
}

/** Data a command found itself (compare --project): it takes the place of the data flags. */
interface GivenData {
  train: TrainData;
  val: TrainSpec['val'];
  classes: number;
  /** Where the output goes unless --out says otherwise. */
  out: string;
}

export function parseTrainSpec(
  argv: string[],
  given?: GivenData,
): {
  spec: TrainSpec;
  backend?: string;
  json: boolean;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      images: { type: 'string' },
      masks: { type: 'string' },
      'val-images': { type: 'string' },
      'val-masks': { type: 'string' },
      'val-fraction': { type: 'string' },
      arch: { type: 'string' },
      base: { type: 'string' },
      depth: { type: 'string' },
      seconds: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      tile: { type: 'string' },
      seed: { type: 'string' },
      lr: { type: 'string' },
      init: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const dataFlags = ['images', 'masks', 'val-images', 'val-masks', 'val-fraction'] as const;
  const stray = given ? dataFlags.find((f) => values[f] !== undefined) : undefined;
  if (stray)
    throw new UsageError(`--${stray} does not go with --project: the project has the data`);
  if ((values['val-images'] === undefined) !== (values['val-masks'] === undefined)) {
    throw new UsageError('--val-images and --val-masks go together');
  }
  const depth = int('depth', values.depth, 4);
  // Batch and tile left out are chosen by the engine from the backend's memory.
  const tile = values.tile === undefined ? null : int('tile', values.tile, 0, 2 ** depth);
  if (tile !== null && tile % 2 ** depth !== 0) {
    throw new UsageError(`--tile: ${tile} must be a multiple of 2^depth = ${2 ** depth}`);
  }
  const seconds = values.seconds === undefined ? null : num('seconds', values.seconds, 0, 1, 1e7);
  const epochs = values.epochs === undefined ? null : int('epochs', values.epochs, 1);
  const data: Pick<TrainSpec, 'train' | 'val' | 'classes'> = given
    ? { train: given.train, val: given.val, classes: given.classes }
    : {
        train: {
          images: required('images', values.images),
          masks: required('masks', values.masks),
        },
        val: values['val-images']
          ? { images: resolve(values['val-images']), masks: resolve(values['val-masks']!) }
          : { fraction: num('val-fraction', values['val-fraction'], 0.2, 0, 0.9) },
      };
  const spec: TrainSpec = {
    ...data,
    arch: parseArch(values.arch),
    base: int('base', values.base, 16),
    depth,
    seconds: seconds === null && epochs === null ? 300 : seconds,
    epochs,
    batch: values.batch === undefined ? null : int('batch', values.batch, 0),
    tile,
    seed: int('seed', values.seed, 1, 0),
    learningRate: num('lr', values.lr, 3e-3, 1e-6, 1),
    out: given && !values.out ? given.out : required('out', values.out),
    init: values.init ? resolve(values.init) : null,
  };
  return { spec, json: values.json, ...(values.backend ? { backend: values.backend } : {}) };
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { spec, backend, json } = parseTrainSpec(argv);
  return withEngine(backend, json, async (engine) => {
    let lastPrint = 0;
    const job = await engine.run({ kind: 'train', spec }, (p) => {
      if (json || p.val) return;
      const now = Date.now();
      if (now - lastPrint < 5000 && p.step !== p.stepsPerEpoch) return;
      lastPrint = now;
      const eta = p.etaSeconds === null ? '' : `, ~${Math.ceil(p.etaSeconds)} s left`;
      console.log(
        `epoch ${p.epoch} step ${p.step}/${p.stepsPerEpoch}: loss ${p.loss.toFixed(4)}${eta}`,
      );
    });
    const stop = () => engine.cancel(job.id);
    process.once('SIGINT', stop);
    const { result } = (await job.result) as Extract<JobResult, { kind: 'train' }>;
    process.off('SIGINT', stop);
    const { epochs, steps, seconds, best, out } = result;
    const trained = `trained ${epochs} epochs (${steps} steps) in ${seconds.toFixed(0)} s`;
    if (json) console.log(JSON.stringify(result));
    else console.log(`${trained}; best ${summaryLine(best)}; model in ${out}`);
    return 0;
  });
}

export async function predictCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      input: { type: 'string', multiple: true },
      out: { type: 'string' },
      backend: { type: 'string' },
    },
  });
  const inputs = [...(values.input ?? []), ...positionals].map((p) => resolve(p));
  if (inputs.length === 0) throw new UsageError('--input FILE|DIR is required');
  const spec = { model: required('model', values.model), inputs, out: required('out', values.out) };
  return withEngine(values.backend, false, async (engine) => {
    const { result } = (await (
      await engine.run({ kind: 'predict', spec })
    ).result) as Extract<JobResult, { kind: 'predict' }>;
    for (const s of result.skipped) console.log(`skipped ${s.reason}`);
    return result.written.length > 0 ? 0 : 1;
  });
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      images: { type: 'string' },
      masks: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const spec = {
    model: required('model', values.model),
    data: { images: required('images', values.images), masks: required('masks', values.masks) },
  };
  return withEngine(values.backend, values.json, async (engine) => {
    const { result } = (await (
      await engine.run({ kind: 'eval', spec })
    ).result) as Extract<JobResult, { kind: 'eval' }>;
    console.log(values.json ? JSON.stringify(result) : summaryLine(result));
    return 0;
  });
}

/**
 * `--name VALUE` taken out of `argv` (compare's own flags, before the train flags are
 * parsed): the value, or undefined when the flag is absent, and the rest.
 */
function takeFlag(argv: string[], name: string, what: string): [string | undefined, string[]] {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return [undefined, argv];
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--'))
    throw new UsageError(`--${name} needs ${what}`);
  return [value, [...argv.slice(0, at), ...argv.slice(at + 2)]];
}

/**
 * `skipseg compare`: the train flags, with `--archs a,b,…|all` for `--arch`; each trains in
 * turn on the same data, split, seed and budget, then predicts the validation images.
 */
export async function compareCommand(argv: string[]): Promise<number> {
  const [list = 'all', rest] = takeFlag(argv, 'archs', 'a list');
  if (rest.includes('--arch') || rest.includes('--init')) {
    throw new UsageError(
      'compare takes --archs (a comma-separated list or all), not --arch or --init',
    );
  }
  const archs = list === 'all' ? [...ARCH_IDS] : list.split(',').map((a) => parseArch(a.trim()));
  const [project, flags] = takeFlag(rest, 'project', 'a project folder');
  const given = project ? await projectData(resolve(project)) : undefined;
  const { spec, backend, json } = parseTrainSpec(flags, given);
  const { arch: _arch, init: _init, ...shared } = spec;
  return withEngine(backend, json, async (engine) => {
    let job: number | null = null;
    const stop = () => job !== null && engine.cancel(job);
    process.on('SIGINT', stop);
    try {
      const rows = await compareArchitectures(
        engine,
        { ...shared, archs },
        {
          onArch: (arch, i) => {
            if (!json)
              console.log(`== ${arch} (${i + 1} of ${archs.length}), skips: ${ARCH_SKIPS[arch]}`);
          },
          onJob: (id) => (job = id),
        },
      );
      if (json) console.log(JSON.stringify({ rows }));
      else {
        for (const line of compareTable(rows)) console.log(line);
        console.log(`models, masks and ${COMPARE_REPORT} in ${spec.out}`);
      }
      return rows.length === archs.length ? 0 : 1;
    } finally {
      process.off('SIGINT', stop);
    }
  });
}

/**
 * A project's labelled images as compare's data, by the split the app uses (images that got
 * labels since are placed as a fine-tune would place them); output under its comparisons/.
 */
async function projectData(dir: string): Promise<GivenData> {
  const project = await Project.open(dir);
  await project.assignSplits();
  const data = await collectTrainingData(project);
  if (data.train.length === 0) {
    throw new UsageError(
      `${dir}: no labelled image is in training; label one (or move one from validation) first`,
    );
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return {
    train: { pairs: data.train },
    // No validation images: the training images are scored, as in a fine-tune.
    val: { pairs: data.val },
    classes: data.classes,
    out: join(dir, 'comparisons', stamp),
  };
}

function summaryLine(s: EvalSummary | null): string {
  if (!s) return 'no validation';
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
  const classes = s.classes.map((c) => `class ${c.id} IoU ${f(c.iou)}`).join(', ');
  const scores = `mIoU ${f(s.miou)}, pixel accuracy ${f(s.pixelAccuracy)}`;
  return `${scores}, boundary F1 ${f(s.boundaryF1)} (${classes})`;
}
