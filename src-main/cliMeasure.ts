/**
 * `skipseg doctor` (which backends can run here, and why not) and `skipseg bench` (speed of
 * each architecture on the chosen backend). Both measure in this process.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ARCH_IDS, type ArchName } from '../shared/engineProtocol';
import { parseBackendId } from '../shared/engineProtocol';
import { BACKENDS, chooseBackend, probeAll } from './engine/backends';
import { webgpuInAppNote } from './engine/webgpu/backend';
import { segmentationLoss } from './engine/loss';
import { buildModel, countParams, gflopsPerImage } from './engine/models';
import { parseArch, UsageError } from './cliEngine';

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
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
    console.log(`${s.available ? 'yes' : 'no '}  ${s.id.padEnd(15)} ${label}: ${s.why}`);
    if (s.id === 'webgpu') console.log(`     ${''.padEnd(15)} ${await webgpuInAppNote()}`);
  }
  console.log(chosen ? `SkipSeg computes with ${chosen.id} (${chosen.detail}).` : `no backend could start: ${failure}`);
  return chosen ? 0 : 1;
}

interface BenchRow {
  arch: ArchName;
  params: number;
  gflops: number;
  predictMsPerImage: number;
  trainMsPerImage: number;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      arch: { type: 'string', default: 'all' },
      size: { type: 'string', default: '256' },
      batch: { type: 'string', default: '4' },
      base: { type: 'string', default: '16' },
      depth: { type: 'string', default: '4' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const size = Number(values.size);
  const batch = Number(values.batch);
  const base = Number(values.base);
  const depth = Number(values.depth);
  if (!Number.isInteger(size) || size < 2 ** depth || size % 2 ** depth !== 0) {
    throw new UsageError(`--size: ${values.size} must be a multiple of 2^depth = ${2 ** depth}`);
  }
  const archs = values.arch === 'all' ? [...ARCH_IDS] : [parseArch(values.arch)];
  const backend = await chooseBackend(parseBackendId(values.backend ?? process.env.SKIPSEG_BACKEND));
  if (!values.json) console.log(`backend: ${backend.id} (${backend.detail}); ${size}×${size}, batch ${batch}`);

  const results: BenchRow[] = [];
  for (const arch of archs) {
    const row = await benchArch(arch, { size, batch, base, depth });
    results.push(row);
    if (!values.json) {
      console.log(
        `${arch.padEnd(14)} ${(row.params / 1e6).toFixed(2)} M params, ${row.gflops.toFixed(2)} GFLOPs/image, ` +
          `predict ${row.predictMsPerImage.toFixed(0)} ms/image, train ${row.trainMsPerImage.toFixed(0)} ms/image`,
      );
    }
  }
  if (values.json) console.log(JSON.stringify({ backend: backend.id, size, results }));
  return 0;
}

async function benchArch(arch: ArchName, o: { size: number; batch: number; base: number; depth: number }): Promise<BenchRow> {
  const cfg = { classes: 2, inputChannels: 1, base: o.base, depth: o.depth, norm: 'batch' as const };
  const model = buildModel(arch, cfg);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([o.batch, o.size, o.size, 1]) as tf.Tensor4D;
  const y = tf.randomUniform([o.batch, o.size, o.size], 0, 2, 'int32') as tf.Tensor3D;
  const time = async (runs: number, body: () => tf.Tensor) => {
    await (await body()).data(); // warm-up: kernels compile, memory is allocated
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      const out = body();
      await out.data();
      out.dispose();
    }
    return (performance.now() - start) / runs / o.batch;
  };
  try {
    const predictMs = await time(3, () => model.predict(x) as tf.Tensor);
    const trainMs = await time(3, () =>
      optimizer.minimize(() => segmentationLoss(model.apply(x, { training: true }) as tf.Tensor4D, y), true)!,
    );
    return {
      arch,
      params: countParams(model),
      gflops: gflopsPerImage(arch, cfg, o.size),
      predictMsPerImage: predictMs,
      trainMsPerImage: trainMs,
    };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
}
