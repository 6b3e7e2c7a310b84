/**
 * A/B timing of the wasm Conv2DBackpropFilter: the XNNPACK path (A: a forward conv with
 * batch and channels swapped, what the kernel was before its own SIMD loop) against the
 * SIMD loop (B, one or more variants), interleaved (A, B, A, B, …) in one process, first on
 * the calls one training step makes, kernel alone, then on whole training steps.
 *
 *   node --import tsx bench/abFilterGrad.ts [--arch unet] [--size 256] [--batch 4]
 *     [--reps 7] [--steps 7] [--only kernel|step] [--variant band=262144,threads=1]…
 *
 * A variant sets fields of `simdTuning` (band: bytes per band; threads=1: the calling
 * thread only); without one, B is the defaults. Times are medians (the first rep is a
 * warm-up); the kernel table has one row per call, in the step's order.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../shared/engineProtocol';
import { syntheticStep } from '../src-main/engine/syntheticStep';
import { filterGradTuning } from '../src-main/engine/wasm/conv2dBackpropFilter';
import { simdTuning } from '../src-main/engine/wasm/filterGradSimd';
import type { Info } from '../src-main/engine/wasm/kernelFuncs';
import { initWasm } from '../src-main/engine/wasm/setup';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'unet' },
    size: { type: 'string', default: '256' },
    batch: { type: 'string', default: '4' },
    reps: { type: 'string', default: '7' },
    steps: { type: 'string', default: '7' },
    only: { type: 'string', default: '' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});

const median = (t: number[]) => [...t].sort((p, q) => p - q)[t.length >> 1]!;

interface Variant {
  name: string;
  /** Sets the kernel up for this variant. */
  use: () => void;
}

function variants(): Variant[] {
  const defaults = { ...simdTuning };
  const out: Variant[] = [
    {
      name: 'xnnpack',
      use: () => {
        filterGradTuning.simd = false;
      },
    },
  ];
  for (const spec of values.variant?.length ? values.variant : ['']) {
    const set: Record<string, number> = {};
    for (const kv of spec.split(',').filter(Boolean)) {
      const [k, v] = kv.split('=') as [string, string];
      set[k === 'band' ? 'bandBytes' : k] = Number(v);
    }
    out.push({
      name: `simd ${spec || 'default'}`,
      use: () => {
        filterGradTuning.simd = true;
        Object.assign(simdTuning, defaults, set);
      },
    });
  }
  return out;
}

async function main(): Promise<void> {
  const info = await initWasm({ threads: 2 });
  const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm')!;
  const [size, batch] = [Number(values.size), Number(values.batch)];
  const arch = values.arch as ArchName;
  const bench = syntheticStep(arch, { size, batch });
  const step = bench.timed;

  // The calls one step makes.
  const calls: { x: number[]; dy: number[]; attrs: tf.NamedAttrMap }[] = [];
  const inner = kernel.kernelFunc;
  (kernel as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
    const { x: xi, dy } = args.inputs as { x: Info; dy: Info };
    calls.push({ x: [...xi.shape], dy: [...dy.shape], attrs: { ...args.attrs } });
    return inner(args);
  };
  await step();
  (kernel as { kernelFunc: tf.KernelFunc }).kernelFunc = inner;
  const vs = variants();
  console.log(`wasm, ${info.threads} threads; ${arch} ${size}² batch ${batch}`);
  console.log(`variants: ${vs.map((v) => v.name).join(' | ')}`);

  if (values.only !== 'step') {
    const backend = tf.backend();
    const reps = Number(values.reps);
    const totals = vs.map(() => [] as number[]);
    const perCall = calls.map(() => vs.map(() => [] as number[]));
    const inputs = calls.map((c) => ({ x: tf.randomNormal(c.x), dy: tf.randomNormal(c.dy) }));
    for (let r = 0; r < reps; r++) {
      const sums = vs.map(() => 0);
      calls.forEach((c, i) => {
        vs.forEach((v, k) => {
          v.use();
          const start = performance.now();
          const out = inner({ inputs: inputs[i]!, backend, attrs: c.attrs }) as Info;
          const ms = performance.now() - start;
          backend.disposeData(out.dataId);
          if (r > 0) perCall[i]![k]!.push(ms);
          sums[k] = sums[k]! + ms;
        });
      });
      if (r > 0) sums.forEach((s, k) => totals[k]!.push(s));
    }
    calls.forEach((c, i) => {
      const f = (c.attrs.filterShape as number[]).join('x');
      const label = `x ${c.x.join('x')} dy ${c.dy.join('x')} f ${f} s ${c.attrs.strides} ${c.attrs.pad}`;
      const ms = perCall[i]!.map((t) => median(t).toFixed(1).padStart(7)).join(' ');
      console.log(`${ms}  ${label}`);
    });
    const all = totals.map((t, k) => `${vs[k]!.name} ${median(t).toFixed(0)} ms`);
    console.log(
      `kernel per step (${calls.length} calls), median of ${reps - 1}: ${all.join(', ')}`,
    );
    for (const t of inputs) tf.dispose([t.x, t.dy]);
  }

  if (values.only !== 'kernel') {
    const times = vs.map(() => [] as number[]);
    for (let r = 0; r < Number(values.steps); r++) {
      for (let k = 0; k < vs.length; k++) {
        vs[k]!.use();
        times[k]!.push((await step()) / batch);
      }
    }
    for (let k = 0; k < vs.length; k++) {
      const list = times[k]!.map((t) => t.toFixed(0)).join(' ');
      console.log(`step, ${vs[k]!.name}: ${list}; median ${median(times[k]!).toFixed(0)} ms/image`);
    }
  }
  vs[vs.length - 1]!.use();
  bench.dispose();
}

await main();
process.exit(0);
