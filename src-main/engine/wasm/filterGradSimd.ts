/**
 * The wasm `Conv2DBackpropFilter`'s own loop: a small WebAssembly SIMD module, assembled at
 * run time, that reads x and dy where they lie on tfjs's heap (it imports the backend's
 * memory), NHWC as they are, with no transposes and no packing.
 *
 * One call of a tile function adds to an mr × 4·nrv tile of dW (mr channels of one side,
 * 4·nrv of the other) the products over a rows × cols block of pixels,
 *   out[r][c] += Σ_{row, col} a[pa + row·aRow + col·aCol + 4r]
 *                           · b[pb + row·bRow + col·bCol + 4c],
 * holding the tile in registers: per pixel, nrv vector loads of b, mr splats of a and
 * 2·mr·nrv f32x4 multiplies and adds (4 × 8 tiles; 16 or more v128 accumulators spilled and
 * measured slower, as did unrolling the pixel loop). One call runs a grid of such tiles
 * across the channels, so a filter tap costs one call, up to four with edge tiles. `a` is x
 * and `b` is dy when Cout is a multiple of 4, and the other way round (dW built transposed)
 * when only Cin is.
 *
 * The N·Ho·Wo reduction runs in bands of dy rows (about 256 KiB of dy and x; 128 KiB and
 * 512 KiB measured a little slower, 1 MiB 20 % slower) that every tile of every filter tap
 * reads from cache. Bands are dealt out to the backend's threads (the calling one and worker
 * threads on the same shared memory), each summing into its own copy of dW.
 */
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, type Info, type WasmBackend } from './kernelFuncs';
import { Body, I32, moduleBytes, V128, WA, type WasmMemory } from './wasmAssembler';

/** Largest tile: 4 × 8 (mr ≤ 4 channels of a, nrv ≤ 2 vectors of b). */
const MAX_MR = 4;
const MAX_NRV = 2;
const PARAMS = 12;

/**
 * `t<mr>x<nrv>(pa, pb, pout, rows, cols, aRow, bRow, aCol, bCol, outRow, aBlocks, bBlocks)`:
 * aBlocks × bBlocks tiles side by side (channels pa + 4·mr·k of a, pb + 16·nrv·k of b),
 * each over the same block of pixels.
 */
function tileFunction(mr: number, nrv: number): Body {
  const f = new Body(PARAMS);
  const [pa, pb, pout, rows, cols, aRow, bRow, aCol, bCol, outRow, aBlocks, bBlocks] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  // Block counters and pointers, then row and column pointers and counters.
  const [ka, kb, pbk, poutk] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const [pr, qr, rr] = [f.local(I32), f.local(I32), f.local(I32)];
  const [p, q, c] = [f.local(I32), f.local(I32), f.local(I32)];
  const outs = Array.from({ length: mr }, () => f.local(I32));
  const acc = Array.from({ length: mr }, () => Array.from({ length: nrv }, () => f.local(V128)));
  const b = Array.from({ length: nrv }, () => f.local(V128));
  const s = f.local(V128);

  f.get(aBlocks);
  f.set(ka);
  f.loop(); // blocks of a's channels
  f.get(pb);
  f.set(pbk);
  f.get(pout);
  f.set(poutk);
  f.get(bBlocks);
  f.set(kb);
  f.loop(); // blocks of b's channels
  for (let r = 0; r < mr; r++) {
    f.get(poutk);
    if (r > 0) {
      f.get(outRow);
      f.i32(r);
      f.mul();
      f.add();
    }
    f.set(outs[r]!);
    for (let v = 0; v < nrv; v++) {
      f.get(outs[r]!);
      f.load(16 * v);
      f.set(acc[r]![v]!);
    }
  }
  f.get(pa);
  f.set(pr);
  f.get(pbk);
  f.set(qr);
  f.get(rows);
  f.set(rr);
  f.loop(); // rows
  f.get(pr);
  f.set(p);
  f.get(qr);
  f.set(q);
  f.get(cols);
  f.set(c);
  f.loop(); // cols
  for (let v = 0; v < nrv; v++) {
    f.get(q);
    f.load(16 * v);
    f.set(b[v]!);
  }
  for (let r = 0; r < mr; r++) {
    f.get(p);
    f.splat(4 * r);
    f.set(s);
    for (let v = 0; v < nrv; v++) {
      f.get(acc[r]![v]!);
      f.get(s);
      f.get(b[v]!);
      f.f32x4Mul();
      f.f32x4Add();
      f.set(acc[r]![v]!);
    }
  }
  f.inc(p, aCol);
  f.inc(q, bCol);
  f.decrement(c);
  f.brIf(0);
  f.end(); // cols
  f.inc(pr, aRow);
  f.inc(qr, bRow);
  f.decrement(rr);
  f.brIf(0);
  f.end(); // rows
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < nrv; v++) {
      f.get(outs[r]!);
      f.get(acc[r]![v]!);
      f.store(16 * v);
    }
  }
  // Next block of b, and of dW's columns.
  f.get(pbk);
  f.i32(16 * nrv);
  f.add();
  f.set(pbk);
  f.get(poutk);
  f.i32(16 * nrv);
  f.add();
  f.set(poutk);
  f.decrement(kb);
  f.brIf(0);
  f.end(); // blocks of b
  // Next block of a, and of dW's rows.
  f.get(pa);
  f.i32(4 * mr);
  f.add();
  f.set(pa);
  f.get(pout);
  f.get(outRow);
  f.i32(mr);
  f.mul();
  f.add();
  f.set(pout);
  f.decrement(ka);
  f.brIf(0);
  f.end(); // blocks of a
  return f;
}

const tileName = (mr: number, nrv: number) => `t${mr}x${nrv}`;

function filterGradModule(shared: boolean): Uint8Array {
  const functions: [string, Body][] = [];
  for (let mr = 1; mr <= MAX_MR; mr++) {
    for (let nrv = 1; nrv <= MAX_NRV; nrv++)
      functions.push([tileName(mr, nrv), tileFunction(mr, nrv)]);
  }
  return moduleBytes(PARAMS, functions, shared);
}

type TileFunction = (...args: number[]) => void;

/** tiles[mr − 1][nrv − 1] of an instance's exports. */
function tilesOf(
  exports: Record<string, unknown>,
  maxMr: number,
  maxNrv: number,
): TileFunction[][] {
  const tiles: TileFunction[][] = [];
  for (let mr = 1; mr <= maxMr; mr++) {
    const row: TileFunction[] = [];
    for (let nrv = 1; nrv <= maxNrv; nrv++) row.push(exports['t' + mr + 'x' + nrv] as TileFunction);
    tiles.push(row);
  }
  return tiles;
}

/** Where each number of a call's geometry sits (the numbers are shared with the workers). */
const G = {
  xAt: 0, dyAt: 1, h: 2, w: 3, cin: 4, ho: 5, wo: 6, cout: 7, kh: 8, kw: 9, sh: 10, sw: 11,
  dh: 12, dw: 13, top: 14, left: 15, swap: 16,
} as const; // prettier-ignore
const G_LENGTH = 17;
type Geometry = Iterable<number> & ArrayLike<number>;
type Numbers<L extends number, T extends number[] = []> = T['length'] extends L
  ? T
  : Numbers<L, [...T, number]>;

/**
 * Adds to the dW at `outAt` the products of dy rows [r0, r1), counted over N·Ho (a band).
 * NOTE: self-contained, with no closures and no nested functions, because the worker
 * threads run it from its source text.
 */
function runRows(
  tiles: TileFunction[][],
  g: Geometry,
  r0: number,
  r1: number,
  outAt: number,
): void {
  const [xAt, dyAt, h, w, cin, ho, wo, cout, kh, kw, sh, sw, dh, dw, top, left, swap] =
    g as unknown as Numbers<17>;
  const [xRow, xCol, dyRow, dyCol] = [4 * sh * w * cin, 4 * sw * cin, 4 * wo * cout, 4 * cout];
  // Tile rows are channels of the splatted side a, tile columns of the vector side b.
  const [aCh, aRow, aCol] = swap ? [cout, dyRow, dyCol] : [cin, xRow, xCol];
  const [bCh, bRow, bCol] = swap ? [cin, xRow, xCol] : [cout, dyRow, dyCol];
  let r = r0;
  while (r < r1) {
    const n = Math.floor(r / ho);
    const y0 = r - n * ho;
    const y1 = Math.min(ho, y0 + r1 - r);
    r += y1 - y0;
    for (let i = 0; i < kh; i++) {
      // The dy rows whose input row y·sh + i·dh − top lies in [0, h).
      const offY = i * dh - top;
      const ya = Math.max(y0, Math.ceil(-offY / sh));
      const yb = Math.min(y1, Math.floor((h - 1 - offY) / sh) + 1);
      if (ya >= yb) continue;
      for (let j = 0; j < kw; j++) {
        // And the columns whose input column x·sw + j·dw − left does.
        const offX = j * dw - left;
        const xa = Math.max(0, Math.ceil(-offX / sw));
        const xb = Math.min(wo, Math.floor((w - 1 - offX) / sw) + 1);
        if (xa >= xb) continue;
        const px = xAt + 4 * ((n * h + ya * sh + offY) * w + xa * sw + offX) * cin;
        const pdy = dyAt + 4 * ((n * ho + ya) * wo + xa) * cout;
        const [pa, pb] = swap ? [pdy, px] : [px, pdy];
        const pout = outAt + 4 * (i * kw + j) * cin * cout;
        const [rows, cols] = [yb - ya, xb - xa];
        // Whole 4 × 8 tiles, then the edges: 4 × 4 on the right, (aCh mod 4) × … below.
        const [a4, aRem, b8, b4] = [aCh >> 2, aCh & 3, bCh >> 3, (bCh >> 2) & 1];
        for (let e = 0; e < 4; e++) {
          const [below, right] = [e >> 1, e & 1];
          const aBlocks = below ? Math.min(aRem, 1) : a4;
          const bBlocks = right ? b4 : b8;
          if (aBlocks === 0 || bBlocks === 0) continue;
          const tile = tiles[(below ? aRem : 4) - 1]![(right ? 1 : 2) - 1]!;
          const [da, db] = [below * 16 * a4, right * 32 * b8];
          const at = pout + da * bCh + db;
          tile(pa + da, pb + db, at, rows, cols, aRow, bRow, aCol, bCol, 4 * bCh, aBlocks, bBlocks);
        }
      }
    }
  }
}

// --- threads ------------------------------------------------------------------------------

/**
 * The control block shared with the workers: the job number (bumped to wake them), the next
 * band to take, bands finished, failures, the band count, size and rows, workers started,
 * workers inside a job, bands workers took (ever), each worker's dW copy, then the geometry.
 * Every thread takes bands until none are left, so a worker that wakes late (or never) only
 * leaves more to the others. Between jobs `next` is CLOSED, and a job ends only once no
 * worker is still taking: a band number taken in one job is never read against another's
 * band count.
 */
const C = {
  job: 0, next: 1, finished: 2, failed: 3, bands: 4, band: 5, rows: 6, ready: 7, active: 8,
  byWorkers: 9, outs: 10,
} as const; // prettier-ignore
const CLOSED = 1 << 30;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, control, index, gAt, gLength } = workerData;
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const tilesOf = ${tilesOf.toString()};
const runRows = ${runRows.toString()};
const tiles = tilesOf(exports, ${MAX_MR}, ${MAX_NRV});
const ctl = new Int32Array(control);
Atomics.add(ctl, ${C.ready}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${C.job}, seen);
  seen = Atomics.load(ctl, ${C.job});
  Atomics.add(ctl, ${C.active}, 1);
  for (;;) {
    const k = Atomics.add(ctl, ${C.next}, 1);
    const bands = ctl[${C.bands}];
    if (k >= bands) break;
    try {
      const band = ctl[${C.band}];
      const r1 = Math.min(ctl[${C.rows}], (k + 1) * band);
      runRows(tiles, ctl.subarray(gAt, gAt + gLength), k * band, r1, ctl[${C.outs} + index]);
    } catch (e) {
      Atomics.add(ctl, ${C.failed}, 1);
    }
    Atomics.add(ctl, ${C.byWorkers}, 1);
    if (Atomics.add(ctl, ${C.finished}, 1) + 1 === bands) Atomics.notify(ctl, ${C.finished});
  }
  if (Atomics.sub(ctl, ${C.active}, 1) === 1) Atomics.notify(ctl, ${C.active});
}
`;

interface Pool {
  tiles: TileFunction[][];
  /** Worker threads besides the calling one; none on a memory that is not shared. */
  workers: number;
  ctl: Int32Array;
  /** Where the geometry starts in `ctl`. */
  gAt: number;
}

const pools = new WeakMap<WasmMemory, Pool>();

function poolFor(memory: WasmMemory, threads: number): Pool {
  let pool = pools.get(memory);
  if (pool) return pool;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const bytes = filterGradModule(shared);
  const { exports } = new WA.Instance(new WA.Module(bytes), { env: { memory } });
  const wanted = shared ? Math.max(0, threads - 1) : 0;
  const gAt = C.outs + wanted;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (gAt + G_LENGTH)));
  ctl[C.next] = CLOSED;
  let workers = 0;
  try {
    for (let index = 0; index < wanted; index++) {
      const workerData = { memory, bytes, control: ctl.buffer, index, gAt, gLength: G_LENGTH };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      // It only works while the main thread waits for it, so it need not keep Node running.
      worker.unref();
      // One that dies takes no more bands (the others take them); it must not crash Node.
      worker.on('error', () => {});
      workers++;
    }
  } catch {
    // No worker threads here: the calling thread does all bands.
  }
  pool = { tiles: tilesOf(exports, MAX_MR, MAX_NRV), workers, ctl, gAt };
  pools.set(memory, pool);
  return pool;
}

/** Blocks until `done(ctl[at])`; throws when the value stops changing for a minute. */
function waitFor(ctl: Int32Array, at: number, done: (value: number) => boolean): void {
  let last = Atomics.load(ctl, at);
  let since = performance.now();
  while (!done(last)) {
    Atomics.wait(ctl, at, last, 1000);
    const now = Atomics.load(ctl, at);
    if (now !== last) [last, since] = [now, performance.now()];
    else if (performance.now() - since > 60_000) {
      throw new Error('Conv2DBackpropFilter: a worker thread stopped (or never started)');
    }
  }
}

function wasmMemory(backend: tf.KernelBackend): WasmMemory | null {
  const module = (backend as unknown as { wasm?: Record<string, unknown> }).wasm;
  const exports = module?.['asm'] as Record<string, unknown> | undefined;
  // The threaded build keeps its memory on the module, the plain one exports it.
  const memory = module?.['wasmMemory'] ?? exports?.['memory'];
  return memory instanceof WA.Memory ? memory : null;
}

/**
 * For benches and tests: bytes of dy and x per band; `threads: 1` keeps to the calling
 * thread, `workersOnly` leaves all bands to the worker threads (where there are any).
 */
export const simdTuning = { bandBytes: 256 * 1024, threads: 0, workersOnly: false };

/** For tests: worker threads started, those running, and bands they took so far. */
export function filterGradWorkers(backend: tf.KernelBackend): {
  workers: number;
  ready: number;
  bands: number;
} {
  const memory = wasmMemory(backend);
  const pool = memory ? poolFor(memory, getThreadsCount()) : null;
  if (!pool) return { workers: 0, ready: 0, bands: 0 };
  const { ctl } = pool;
  return {
    workers: pool.workers,
    ready: Atomics.load(ctl, C.ready),
    bands: Atomics.load(ctl, C.byWorkers),
  };
}

/**
 * How `simdFilterGrad` splits the N·Ho dy rows: `bands` bands of `band` rows, the last
 * maybe fewer.
 */
export function filterGradBands(info: tf.backend_util.Conv2DInfo): {
  rows: number;
  band: number;
  bands: number;
} {
  const rows = info.batchSize * info.outHeight;
  const rowBytes =
    4 * (info.outWidth * info.outChannels + info.strideHeight * info.inWidth * info.inChannels);
  const band = Math.min(rows, Math.max(1, Math.floor(simdTuning.bandBytes / rowBytes)));
  return { rows, band, bands: Math.ceil(rows / band) };
}

/**
 * dW = Conv2DBackpropFilter(x, dy), [kh, kw, Cin, Cout], by the SIMD loop on the backend's
 * threads; null where it does not apply (neither Cin nor Cout a multiple of 4, or no access
 * to the backend's memory).
 */
export function simdFilterGrad(
  backend: tf.KernelBackend,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
): Info | null {
  const { inChannels: cin, outChannels: cout, filterHeight: kh, filterWidth: kw } = info;
  const swap = cout % 4 !== 0;
  if (swap && cin % 4 !== 0) return null;
  const memory = wasmMemory(backend);
  if (!memory) return null;
  const pool = poolFor(memory, getThreadsCount());
  const size = kh * kw * cin * cout;
  const { rows, band, bands } = filterGradBands(info);
  const workers = bands > 1 && simdTuning.threads !== 1 ? pool.workers : 0;

  const wasm = backend as WasmBackend;
  const out = wasm.makeOutput([kh, kw, cin, cout], 'float32');
  // Each worker sums into its own copy of dW; the copies are added up at the end.
  const copies = workers > 0 ? wasm.makeOutput([workers, size], 'float32') : null;
  const swapped = swap ? wasm.makeOutput([size], 'float32') : null;
  // Views only after the last allocation: a growing heap detaches them.
  const sum = heapF32(backend, swapped ?? out).fill(0);
  const copiesView = copies ? heapF32(backend, copies).fill(0) : null;

  const g = new Array<number>(G_LENGTH).fill(0);
  g[G.xAt] = heapF32(backend, x).byteOffset;
  g[G.dyAt] = heapF32(backend, dy).byteOffset;
  g[G.h] = info.inHeight;
  g[G.w] = info.inWidth;
  g[G.cin] = cin;
  g[G.ho] = info.outHeight;
  g[G.wo] = info.outWidth;
  g[G.cout] = cout;
  g[G.kh] = kh;
  g[G.kw] = kw;
  g[G.sh] = info.strideHeight;
  g[G.sw] = info.strideWidth;
  g[G.dh] = info.dilationHeight;
  g[G.dw] = info.dilationWidth;
  g[G.top] = info.padInfo.top;
  g[G.left] = info.padInfo.left;
  g[G.swap] = swap ? 1 : 0;

  if (workers === 0) {
    for (let r = 0; r < rows; r += band) {
      runRows(pool.tiles, g, r, Math.min(rows, r + band), sum.byteOffset);
    }
  } else {
    const { ctl } = pool;
    ctl.set(g, pool.gAt);
    ctl[C.bands] = bands;
    ctl[C.band] = band;
    ctl[C.rows] = rows;
    for (let k = 0; k < workers; k++) ctl[C.outs + k] = copiesView!.byteOffset + 4 * size * k;
    Atomics.store(ctl, C.finished, 0);
    Atomics.store(ctl, C.failed, 0);
    Atomics.store(ctl, C.next, 0);
    Atomics.add(ctl, C.job, 1);
    Atomics.notify(ctl, C.job, workers);
    while (!simdTuning.workersOnly) {
      const k = Atomics.add(ctl, C.next, 1);
      if (k >= bands) break;
      runRows(pool.tiles, g, k * band, Math.min(rows, (k + 1) * band), sum.byteOffset);
      Atomics.add(ctl, C.finished, 1);
    }
    // The bands workers took and are still on, then the workers still taking.
    waitFor(ctl, C.finished, (v) => v >= bands);
    Atomics.store(ctl, C.next, CLOSED);
    waitFor(ctl, C.active, (v) => v === 0);
    if (Atomics.load(ctl, C.failed) > 0)
      throw new Error('Conv2DBackpropFilter: a worker thread failed');
    const parts = heapF32(backend, copies!);
    const dst = heapF32(backend, swapped ?? out);
    for (let k = 0; k < workers; k++) {
      const part = parts.subarray(k * size, (k + 1) * size);
      for (let e = 0; e < size; e++) dst[e] = dst[e]! + part[e]!;
    }
    backend.disposeData(copies!.dataId);
  }
  if (swapped) {
    // Built as [kh, kw, Cout, Cin].
    const src = heapF32(backend, swapped);
    const dst = heapF32(backend, out);
    for (let t = 0; t < kh * kw; t++) {
      const base = t * cin * cout;
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) dst[base + ci * cout + co] = src[base + co * cin + ci]!;
      }
    }
    backend.disposeData(swapped.dataId);
  }
  return out;
}
