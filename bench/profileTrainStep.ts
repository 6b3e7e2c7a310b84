/**
 * Where a training step's time goes on the wasm backend, kernel by kernel.
 *
 *   node --import tsx bench/profileTrainStep.ts [--arch unet] [--size 256] [--batch 4]
 *     [--steps 3] [--shapes] [--top 30]
 *
 * Every wasm kernel function is wrapped with a wall-clock timer. The wasm backend runs
 * kernels synchronously, so the time of a call is the kernel's own; kernels of ours that
 * call the backend's kernel functions directly are timed as one. What is left of the step
 * after the kernels is JS: the engine's bookkeeping, the tape, Adam's loop over variables.
 * `--shapes` splits each kernel's row by its input shapes.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../shared/engineProtocol';
import { syntheticStep } from '../src-main/engine/syntheticStep';
import { initWasm } from '../src-main/engine/wasm/setup';

interface Row {
  calls: number;
  ms: number;
}

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'unet' },
    size: { type: 'string', default: '256' },
    batch: { type: 'string', default: '4' },
    steps: { type: 'string', default: '3' },
    top: { type: 'string', default: '30' },
    shapes: { type: 'boolean', default: false },
  },
});

const rows = new Map<string, Row>();
let recording = false;

function timeKernels(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    // The registry hands out the config it stores, so the engine picks up the wrapper.
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      if (!recording) return inner(args);
      const start = performance.now();
      const out = inner(args);
      const ms = performance.now() - start;
      const shapes = Object.values(args.inputs).map((t) => (t ? t.shape.join('x') : '-'));
      const key = values.shapes ? `${name} ${shapes.join(' ')}` : name;
      const row = rows.get(key) ?? { calls: 0, ms: 0 };
      row.calls++;
      row.ms += ms;
      rows.set(key, row);
      return out;
    };
  }
}

async function main(): Promise<void> {
  const info = await initWasm({ threads: 2 });
  timeKernels();
  const size = Number(values.size);
  const batch = Number(values.batch);
  const steps = Number(values.steps);
  const arch = values.arch as ArchName;
  const bench = syntheticStep(arch, { size, batch });
  const step = bench.timed;

  await step();
  recording = true;
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const wall = (performance.now() - start) / steps;
  recording = false;

  const sorted = [...rows.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = sorted.reduce((sum, [, r]) => sum + r.ms, 0) / steps;
  console.log(`wasm, ${info.threads} threads; ${arch} ${size}² batch ${batch}, ${steps} steps`);
  console.log(`step ${wall.toFixed(0)} ms (${(wall / batch).toFixed(0)} ms/image)`);
  const outside = wall - kernelMs;
  console.log(`kernels ${kernelMs.toFixed(0)} ms, outside kernels ${outside.toFixed(0)} ms`);
  for (const [key, r] of sorted.slice(0, Number(values.top))) {
    const ms = r.ms / steps;
    const share = ((100 * ms) / wall).toFixed(1).padStart(5);
    const calls = String(r.calls / steps).padStart(5);
    console.log(`${ms.toFixed(1).padStart(8)} ms ${share}% ${calls}×  ${key}`);
  }
  bench.dispose();
}

await main();
process.exit(0);
