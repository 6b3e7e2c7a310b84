/**
 * `skipseg doctor` (which backends can run here, and why not) and `skipseg bench` (speed of
 * each architecture on the chosen backend). Both measure in this process.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {
  ARCH_IDS,
  doctorLine,
  parseBackendId,
  type ArchName,
  type BackendId,
} from '../shared/engineProtocol';
import { BACKENDS, chooseBackend, probeAll } from './engine/backends';
import { activeWebGpuAdapter, webgpuInAppNote } from './engine/webgpu/backend';
import { footprintFor, formatBytes, trainingBytes } from './engine/memory';
import { countParams, gflopsPerImage } from './engine/models';
import { syntheticStep } from './engine/syntheticStep';
import { parseArch, UsageError } from './cliEngine';

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false } },
  });
  const wanted = parseBackendId(process.env.SKIPSEG_BACKEND);
  const statuses = await probeAll(wanted);
  let chosen: Awaited<ReturnType<typeof chooseBackend>> | null = null;
  let failure: string | null = null;
  try {
    chosen = await chooseBackend(wanted);
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  if (values.json) {
    console.log(JSON.stringify({ backends: statuses, chosen, failure }));
    return failure ? 1 : 0;
  }
  for (const s of statuses) {
    const label = BACKENDS.find((b) => b.id === s.id)?.label ?? s.id;
    console.log(doctorLine(s.available, s.id, `${label}: ${s.why}`));
    if (s.id === 'webgpu') console.log(`     ${''.padEnd(15)} ${await webgpuInAppNote()}`);
  }
  console.log(
    chosen
      ? `SkipSeg computes with ${chosen.id} (${chosen.detail}).`
      : `no backend could start: ${failure}`,
  );
  return chosen ? 0 : 1;
}

interface BenchRow {
  arch: ArchName;
  params: number;
  gflops: number;
  predictMsPerImage: number;
  trainMsPerImage: number;
  /** Tensors left behind by the timed steps: 0 unless a kernel leaks. */
  leakedTensors: number;
  /** Most tensor bytes alive at once in the first training step (weights, slots included). */
  trainPeakBytes: number;
  /** What the engine's memory model expects a training step to need on this backend. */
  trainEstimatedBytes: number;
}

interface BenchSetup {
  archs: ArchName[];
  size: number;
  batch: number;
  runs: number;
  /** Why the defaults were shrunk, or null. */
  shrunk: string | null;
}

/**
 * The flags, with defaults that depend on the backend: a software WebGPU adapter runs some
 * hundred times slower than wasm, so unless told otherwise it benches U-Net alone, small.
 */
export function benchSetup(
  flags: { arch?: string; size?: string; batch?: string; runs?: string },
  depth: number,
  isSoftware: boolean,
): BenchSetup {
  const small = isSoftware && !flags.arch && !flags.size && !flags.batch;
  const size = Number(flags.size ?? (small ? '64' : '256'));
  const batch = Number(flags.batch ?? (small ? '1' : '4'));
  const runs = Number(flags.runs ?? (isSoftware ? '1' : '3'));
  if (!Number.isInteger(size) || size < 2 ** depth || size % 2 ** depth !== 0) {
    throw new UsageError(`--size: ${flags.size} must be a multiple of 2^depth = ${2 ** depth}`);
  }
  if (!Number.isInteger(batch) || batch < 1) {
    throw new UsageError(`--batch: "${flags.batch}" is not a whole number of images`);
  }
  if (!Number.isInteger(runs) || runs < 1) {
    throw new UsageError(`--runs: "${flags.runs}" is not a whole number of runs`);
  }
  const arch = flags.arch ?? (small ? 'unet' : 'all');
  const archs = arch === 'all' ? [...ARCH_IDS] : [parseArch(arch)];
  const shrunk = small
    ? 'a software adapter: U-Net only, 64×64, batch 1 (--arch, --size and --batch override)'
    : null;
  return { archs, size, batch, runs, shrunk };
}

export async function benchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      arch: { type: 'string' },
      size: { type: 'string' },
      batch: { type: 'string' },
      runs: { type: 'string' },
      base: { type: 'string', default: '16' },
      depth: { type: 'string', default: '4' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const base = Number(values.base);
  const depth = Number(values.depth);
  // Flags are checked before the backend starts, so a typo costs no probe.
  benchSetup(values, depth, false);
  const backend = await chooseBackend(
    parseBackendId(values.backend ?? process.env.SKIPSEG_BACKEND),
  );
  const isSoftware = backend.id === 'webgpu' && activeWebGpuAdapter()?.isFallback === true;
  const { archs, size, batch, runs, shrunk } = benchSetup(values, depth, isSoftware);
  if (!values.json) {
    console.log(`backend: ${backend.id} (${backend.detail}); ${size}×${size}, batch ${batch}`);
    if (shrunk) console.log(`bench: ${shrunk}`);
  }

  const results: BenchRow[] = [];
  for (const arch of archs) {
    const row = await benchArch(arch, { size, batch, base, depth, runs, backend: backend.id });
    results.push(row);
    if (!values.json) {
      const leak = row.leakedTensors ? `, LEAKED ${row.leakedTensors} tensors` : '';
      console.log(
        `${arch.padEnd(14)} ${(row.params / 1e6).toFixed(2)} M params, ` +
          `${row.gflops.toFixed(2)} GFLOPs/image, ` +
          `predict ${row.predictMsPerImage.toFixed(0)} ms/image, ` +
          `train ${row.trainMsPerImage.toFixed(0)} ms/image, ` +
          `peak ${formatBytes(row.trainPeakBytes)} ` +
          `(estimated ${formatBytes(row.trainEstimatedBytes)})${leak}`,
      );
    }
  }
  if (values.json) {
    const summary = { backend: backend.id, detail: backend.detail, size, batch, runs, results };
    console.log(JSON.stringify(summary));
  }
  return results.some((r) => r.leakedTensors) ? 1 : 0;
}

async function benchArch(
  arch: ArchName,
  o: { size: number; batch: number; base: number; depth: number; runs: number; backend: BackendId },
): Promise<BenchRow> {
  const bench = syntheticStep(arch, o);
  const { cfg, model, x } = bench;
  const step = async (body: () => tf.Tensor) => {
    const out = body();
    // `data()`, not `dataSync()`: a WebGPU tensor under Node reads back asynchronously only.
    await out.data();
    out.dispose();
  };
  let leaked = 0;
  let peak = 0;
  const time = async (body: () => tf.Tensor) => {
    // Warm-up: kernels compile, memory is allocated, the optimizer makes its slots. The
    // profile's peak counts every tensor alive, the model's and the batch's too.
    const profile = await tf.profile(() => step(body) as unknown as tf.TensorContainer);
    peak = profile.peakBytes;
    const before = tf.memory().numTensors;
    const start = performance.now();
    for (let i = 0; i < o.runs; i++) await step(body);
    const ms = (performance.now() - start) / o.runs / o.batch;
    leaked += tf.memory().numTensors - before;
    return ms;
  };
  try {
    const predictMs = await time(() => model.predict(x) as tf.Tensor);
    const trainMs = await time(bench.train);
    return {
      arch,
      params: countParams(model),
      gflops: gflopsPerImage(arch, cfg, o.size),
      predictMsPerImage: predictMs,
      trainMsPerImage: trainMs,
      leakedTensors: leaked,
      trainPeakBytes: peak,
      trainEstimatedBytes: trainingBytes(footprintFor(arch, cfg), o.batch, o.size, o.backend).total,
    };
  } finally {
    bench.dispose();
  }
}
