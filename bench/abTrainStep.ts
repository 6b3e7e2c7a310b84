/**
 * A/B timing of one training step with and without some of SkipSeg's wasm kernels, in one
 * process and interleaved (A, B, A, B, …), so load from other processes hits both alike.
 *
 *   node --import tsx bench/abTrainStep.ts --off SkipSegBatchNormTraining [--off Identity]
 *     [--arch unet] [--size 256] [--batch 4] [--reps 5]
 *
 * B unregisters each `--off` kernel for its steps: a kernel SkipSeg adds falls back to what
 * calls it (tf.layers' own batch norm, for SkipSegBatchNormTraining); a kernel SkipSeg
 * replaced falls back to tfjs's own, whose config `registerTrainingKernels` keeps.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../shared/engineProtocol';
import { syntheticStep } from '../src-main/engine/syntheticStep';
import { initWasm, stockWasmKernels } from '../src-main/engine/wasm/setup';

const { values } = parseArgs({
  options: {
    off: { type: 'string', multiple: true, default: [] },
    arch: { type: 'string', default: 'unet' },
    size: { type: 'string', default: '256' },
    batch: { type: 'string', default: '4' },
    reps: { type: 'string', default: '5' },
  },
});

function swap(kernels: tf.KernelConfig[]): void {
  for (const config of kernels) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    const stock = stockWasmKernels().get(config.kernelName);
    if (stock) tf.registerKernel(stock);
  }
}

function restore(kernels: tf.KernelConfig[]): void {
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

async function main(): Promise<void> {
  await initWasm({ threads: 2 });
  const ours = (values.off ?? []).map((name) => {
    const config = tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`no wasm kernel ${name}`);
    return config;
  });
  const [size, batch] = [Number(values.size), Number(values.batch)];
  const arch = values.arch as ArchName;
  const bench = syntheticStep(arch, { size, batch });
  const step = bench.timed;

  const a: number[] = [];
  const b: number[] = [];
  await step();
  for (let r = 0; r < Number(values.reps); r++) {
    a.push(await step());
    swap(ours);
    b.push(await step());
    restore(ours);
  }
  const median = (t: number[]) => [...t].sort((p, q) => p - q)[t.length >> 1]! / batch;
  console.log(`A (all ours): ${a.map((t) => (t / batch).toFixed(0)).join(' ')} ms/image`);
  const without = values.off?.join(', ');
  console.log(`B (without ${without}): ${b.map((t) => (t / batch).toFixed(0)).join(' ')}`);
  console.log(`median A ${median(a).toFixed(0)}, B ${median(b).toFixed(0)} ms/image`);
  bench.dispose();
}

await main();
process.exit(0);
