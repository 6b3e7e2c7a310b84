/**
 * The engine in its own process: a train job reports progress and writes a model, a cancel
 * keeps the best checkpoint, and a crash fails the job at hand without taking the caller
 * down; the next job starts a fresh engine.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainProgress, TrainSpec } from '../../../shared/engineProtocol';
import { EngineClient } from '../../../src-main/engine/client';
import { readModelMeta } from '../../../src-main/engine/modelStore';
import { tempDir } from '../../helpers/fixtures';
import { writeSquares } from '../../helpers/squares';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let spec: TrainSpec;

beforeAll(async () => {
  tmp = await tempDir();
  await writeSquares(tmp.dir, 4);
  spec = {
    train: { images: join(tmp.dir, 'images'), masks: join(tmp.dir, 'masks') },
    val: { fraction: 0.25 },
    arch: 'unet',
    base: 4,
    depth: 2,
    seconds: null,
    epochs: 2,
    batch: 2,
    tile: 32,
    seed: 3,
    learningRate: 1e-2,
    out: join(tmp.dir, 'model'),
    init: null,
  };
});
afterAll(() => tmp.remove());

describe('the engine process', () => {
  it('trains with progress events and writes a model with its metadata', async () => {
    const logs: string[] = [];
    const engine = new EngineClient({ backend: 'wasm', onLog: (_level, m) => logs.push(m) });
    try {
      const backend = await engine.start();
      expect(backend.id).toBe('wasm');
      const events: TrainProgress[] = [];
      // Batch and tile left to the engine: tile is capped by the 32-pixel images.
      const auto = { ...spec, batch: null, tile: null };
      const job = await engine.run({ kind: 'train', spec: auto }, (p) => events.push(p));
      const done = await job.result;
      expect(done.kind === 'train' && [done.result.batch, done.result.tile]).toEqual([4, 32]);
      expect(logs).toContainEqual(expect.stringMatching(/^batch 4, tile 32 \(chosen for memory\)/));
      expect(events.some((e) => e.val !== null)).toBe(true);
      expect(events.filter((e) => e.val === null).every((e) => Number.isFinite(e.loss))).toBe(true);
      const meta = await readModelMeta(spec.out);
      expect(meta).toMatchObject({ arch: 'unet', classes: 2, inputChannels: 1, backend: 'wasm' });
    } finally {
      await engine.stop();
    }
  });

  it("counts the last epoch's validation in the time left", async () => {
    const engine = new EngineClient({ backend: 'wasm' });
    try {
      const events: TrainProgress[] = [];
      const timed = { ...spec, seconds: 3, epochs: null, out: join(tmp.dir, 'timed') };
      const job = await engine.run({ kind: 'train', spec: timed }, (p) => events.push(p));
      await job.result;
      const first = events.findIndex((e) => e.val !== null);
      expect(first).toBeGreaterThan(0);
      const steps = (from: number, to: number) =>
        events.slice(from, to).filter((e) => e.val === null && e.elapsedSeconds < 3);
      expect(steps(0, first).length).toBeGreaterThan(0);
      expect(steps(first, events.length).length).toBeGreaterThan(0);
      // Before any validation: the budget left; after one, that plus what it took.
      for (const e of steps(0, first)) expect(e.etaSeconds).toBeCloseTo(3 - e.elapsedSeconds, 2);
      for (const e of steps(first, events.length)) {
        expect(e.etaSeconds!).toBeGreaterThan(3 - e.elapsedSeconds + 1e-4);
      }
    } finally {
      await engine.stop();
    }
  });

  it('keeps the best checkpoint when cancelled and leaves no process behind', async () => {
    const engine = new EngineClient({ backend: 'wasm' });
    await engine.start();
    const pid = engine.pid!;
    const out = join(tmp.dir, 'cancelled');
    let job: Awaited<ReturnType<EngineClient['run']>> | null = null;
    let validated = false;
    job = await engine.run({ kind: 'train', spec: { ...spec, epochs: 1000, out } }, (p) => {
      if (p.val) validated = true;
      if (validated && job) engine.cancel(job.id);
    });
    const done = await job.result;
    expect(done.kind === 'train' && done.result.cancelled).toBe(true);
    expect((await readModelMeta(out)).val).not.toBeNull();
    await engine.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('fails the running job when the engine dies, and restarts for the next one', async () => {
    const engine = new EngineClient({ backend: 'wasm' });
    const heard: string[] = [];
    engine.onLifecycle((e) => heard.push(e.kind === 'started' ? e.backend.id : e.why));
    try {
      await engine.start();
      const job = await engine.run({
        kind: 'train',
        spec: { ...spec, epochs: 1000, out: join(tmp.dir, 'x') },
      });
      process.kill(engine.pid!, 'SIGKILL');
      await expect(job.result).rejects.toMatchObject({ code: 'ENGINE_DIED' });
      const again = await engine.run({ kind: 'eval', spec: { model: spec.out, data: spec.train } });
      const result = await again.result;
      expect(result.kind === 'eval' && result.result.miou).toBeGreaterThan(0);
      // Whoever shows the engine heard it die and come back.
      expect(heard).toEqual([
        'wasm',
        'the engine process stopped (signal SIGKILL); it restarts on the next job',
        'wasm',
      ]);
    } finally {
      await engine.stop();
    }
    // A stop asked for is no news.
    expect(heard).toHaveLength(3);
  });

  it('restarts on another backend when asked, and on the fastest again', async () => {
    const engine = new EngineClient({ backend: null });
    try {
      expect((await engine.start()).id).toBe('wasm');
      const first = engine.pid;
      expect((await engine.restart('cpu')).id).toBe('cpu');
      expect(engine.wanted).toBe('cpu');
      expect(engine.pid).not.toBe(first);
      expect(() => process.kill(first!, 0)).toThrow();
      expect((await engine.restart(null)).id).toBe('wasm');
      expect(engine.wanted).toBeNull();
    } finally {
      await engine.stop();
    }
  });
});
