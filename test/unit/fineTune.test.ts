/**
 * One-click fine-tune through the core, with the real engine process: progress events, a
 * model listed and active, proposals for the images not fully labelled, cancel keeping the
 * best checkpoint, and an engine crash failing the run without taking the caller down.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, ImageSummary, ProjectSummary, TrainingStatus } from '../../shared/ipc';
import { MODEL_META_FILE } from '../../shared/modelMeta';
import { Core } from '../../src-main/core';
import { EngineClient } from '../../src-main/engine/client';
import { Project } from '../../src-main/project/project';
import { tempDir } from '../helpers/fixtures';
import { writeSquares } from '../helpers/squares';

const SIDE = 32;
const FINAL = ['done', 'failed', 'cancelled'];

let tmp: Awaited<ReturnType<typeof tempDir>>;
let engine: EngineClient;
const engineLog: string[] = [];
let core: Core;
let project: Project;

/** Class 1 on the square of image k (see writeSquares), 0 around it; rows ≥ `rows` not labelled. */
function squareMask(k: number, rows = SIDE): Uint8Array {
  const mask = new Uint8Array(SIDE * SIDE);
  for (let i = 0; i < mask.length; i++) {
    const [x, y] = [i % SIDE, Math.floor(i / SIDE)];
    mask[i] = y >= rows ? 255 : x >= 4 + k && x < 16 + k && y >= 8 && y < 20 ? 1 : 0;
  }
  return mask;
}

/** Every event until the fine-tune reaches a final phase; `onStatus` sees each status. */
function untilFinished(onStatus: (s: TrainingStatus) => void = () => {}) {
  const events: [EventName, unknown][] = [];
  return new Promise<{ events: [EventName, unknown][]; statuses: TrainingStatus[] }>((resolve) => {
    const unsubscribe = core.subscribe((name, payload) => {
      events.push([name, payload]);
      if (name !== 'training:progress') return;
      const status = payload as TrainingStatus;
      onStatus(status);
      if (!FINAL.includes(status.phase)) return;
      unsubscribe();
      const statuses = events
        .filter(([n]) => n === 'training:progress')
        .map(([, p]) => p as TrainingStatus);
      resolve({ events, statuses });
    });
  });
}

/** The open project's summary, as the core holds it. */
async function summary(): Promise<ProjectSummary> {
  const current = await core.dispatch('project:current', {});
  if (!current.ok) throw new Error(current.error.message);
  return current.value as ProjectSummary;
}

async function images(): Promise<ImageSummary[]> {
  const listed = await core.dispatch('project:listImages', {});
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value as ImageSummary[];
}

beforeAll(async () => {
  tmp = await tempDir();
  await writeSquares(join(tmp.dir, 'src'), 3);
  project = await Project.create(join(tmp.dir, 'p'), 'Squares');
  await project.addImages([join(tmp.dir, 'src', 'images')]);
  engine = new EngineClient({
    backend: 'wasm',
    onLog: (_level, message) => engineLog.push(message),
  });
  const trainOverrides = { base: 4, depth: 2, batch: 2, tile: SIDE, learningRate: 1e-2 };
  core = new Core({ version: 't', transport: 'web', engine, trainOverrides });
  await core.dispatch('project:open', { dir: project.dir });
  // Image 0 fully labelled, image 1 partly, image 2 not at all.
  for (const [id, rows] of [
    ['0', SIDE],
    ['1', 16],
  ] as const) {
    const saved = await core.dispatch('mask:save', {
      id,
      width: SIDE,
      height: SIDE,
      data: squareMask(Number(id), rows),
    });
    expect(saved.ok).toBe(true);
  }
});
afterAll(async () => {
  await engine.stop();
  await tmp.remove();
});

describe('fine-tune through the core', () => {
  it('refuses a project with nothing labelled, in one sentence', async () => {
    const empty = await Project.create(join(tmp.dir, 'empty'), 'Empty');
    await empty.addImages([join(tmp.dir, 'src', 'images', '0.png')]);
    const other = new Core({ version: 't', transport: 'web', engine });
    await other.dispatch('project:open', { dir: empty.dir });
    const refused = await other.dispatch('training:start', { seconds: 5 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NO_LABELS' } });
    expect(!refused.ok && refused.error.message).toMatch(/^nothing is labelled yet: paint/);
    expect(await other.dispatch('training:status', {})).toEqual({ ok: true, value: null });
  });

  it('trains with progress, lists the model as active, and proposes for the rest', async () => {
    const finished = untilFinished();
    const started = await core.dispatch('training:start', { seconds: 5 });
    expect(started).toMatchObject({
      ok: true,
      value: { phase: 'preparing', arch: 'unet', trainImages: 1, valImages: 1 },
    });
    expect(await core.dispatch('training:start', {})).toMatchObject({
      ok: false,
      error: { code: 'TRAINING_RUNNING' },
    });
    expect(await core.dispatch('proposals:run', {})).toMatchObject({
      ok: false,
      error: { code: 'ENGINE_BUSY' },
    });

    const { events, statuses } = await finished;
    const last = statuses.at(-1)!;
    // Throttled: a few events a second, not one per step (5 s of tiny steps here).
    expect(statuses.length).toBeLessThan(60);
    expect(last.phase, last.message ?? '').toBe('done');
    expect(last.backend).toBe('wasm');
    expect(last.seconds).toBe(5);
    expect(last.loss.length).toBeGreaterThan(0);
    expect(last.loss.length).toBeLessThanOrEqual(300);
    expect(last.valIou.length).toBeGreaterThan(0);
    expect(last.message).toMatch(
      /^unet-\d{8}-\d{6}: \d+ epochs? in \d+ s on wasm, val mIoU [\d.]+; proposals for 2 images$/,
    );
    const phases = statuses.map((s) => s.phase);
    expect(phases).toContain('training');
    expect(phases.indexOf('proposing')).toBeGreaterThan(phases.lastIndexOf('training'));
    // Proposing counts its images up to the total, with the time left at the rate so far.
    const counts = statuses.filter((s) => s.phase === 'proposing').map((s) => s.proposed);
    expect(counts.find((c) => c !== null)).toEqual({ done: 0, total: 2 });
    expect(last.proposed).toEqual({ done: 2, total: 2 });
    expect(statuses.filter((s) => s.phase === 'training').every((s) => s.proposed === null)).toBe(
      true,
    );

    const listed = await summary();
    expect(listed.models.map((m) => m.id)).toEqual([last.modelId]);
    expect(listed.activeModelId).toBe(last.modelId);
    expect(listed.models[0]).toMatchObject({
      arch: 'unet',
      classes: 2,
      trainImages: 1,
      valImages: 1,
      backend: 'wasm',
    });
    await stat(join(project.dir, 'models', last.modelId!, MODEL_META_FILE));

    const byId = new Map((await images()).map((im) => [im.id, im]));
    expect(byId.get('0')!.proposal).toBeNull();
    for (const id of ['1', '2']) {
      const proposal = byId.get(id)!.proposal!;
      expect(proposal.modelId).toBe(last.modelId);
      expect(proposal.confidence).toBeGreaterThanOrEqual(0);
      expect(proposal.confidence).toBeLessThanOrEqual(1);
      expect(proposal.uncertainShare).toBeGreaterThanOrEqual(0);
      expect(proposal.uncertainShare).toBeLessThanOrEqual(1);
    }
    const changed = events
      .filter(([n]) => n === 'proposals:changed')
      .flatMap(([, p]) => (p as { ids: string[] }).ids);
    expect(changed.sort()).toEqual(['1', '2']);
    const got = await core.dispatch('proposal:get', { id: '2' });
    expect(got.ok && (got.value as { data: Uint8Array }).data.every((v) => v <= 1)).toBe(true);
    expect(await core.dispatch('training:status', {})).toMatchObject({
      ok: true,
      value: { phase: 'done' },
    });
  });

  it('keeps the best checkpoint on cancel; the engine serves on and stops cleanly', async () => {
    const before = (await summary()).models.length;
    let asked = false;
    const finished = untilFinished((status) => {
      if (status.phase !== 'training' || asked) return;
      asked = true;
      void core
        .dispatch('training:cancel', {})
        .then((r) => expect(r).toEqual({ ok: true, value: { wasRunning: true } }));
    });
    expect(await core.dispatch('training:start', { seconds: 120 })).toMatchObject({ ok: true });
    const { events, statuses } = await finished;
    const last = statuses.at(-1)!;
    expect(last.phase, last.message ?? '').toBe('cancelled');
    // The new model is active: the first one's proposals (images 1 and 2) no longer show.
    const hidden = events.filter(([n]) => n === 'proposals:changed').map(([, p]) => p);
    expect(hidden).toEqual([{ ids: ['1', '2'] }]);
    expect(last.message).toMatch(/^cancelled; kept the best checkpoint: unet-/);
    expect(last.elapsedSeconds).toBeLessThan(60);
    // Continued from the first model (same architecture and classes), listed and active.
    expect(engineLog).toContainEqual(
      expect.stringMatching(/^continuing from .*models\/unet-\d{8}-\d{6}$/),
    );
    const listed = await summary();
    expect(listed.models).toHaveLength(before + 1);
    expect(listed.activeModelId).toBe(last.modelId);
    expect(await core.dispatch('training:cancel', {})).toEqual({
      ok: true,
      value: { wasRunning: false },
    });

    // The engine was not stopped by the cancel: proposals on demand still run.
    const landed = new Promise<string[]>((resolve) => {
      const off = core.subscribe((name, payload) => {
        if (name !== 'proposals:changed') return;
        off();
        resolve((payload as { ids: string[] }).ids);
      });
    });
    expect(await core.dispatch('proposals:run', { ids: ['0', '2'] })).toEqual({
      ok: true,
      value: { queued: 1 },
    });
    expect(await landed).toEqual(['2']);

    const pid = engine.pid!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await engine.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('fails the run with a sentence when the engine dies, and the core lives on', async () => {
    const modelsBefore = await readdir(join(project.dir, 'models'));
    let killed = false;
    const finished = untilFinished((status) => {
      if (status.phase !== 'training' || killed) return;
      killed = true;
      process.kill(engine.pid!, 'SIGKILL');
    });
    expect(await core.dispatch('training:start', { seconds: 120 })).toMatchObject({ ok: true });
    const last = (await finished).statuses.at(-1)!;
    expect(last.phase).toBe('failed');
    expect(last.message).toMatch(/the engine process stopped \(signal SIGKILL\)/);
    // The unlisted model folder of the failed run is gone; the listed ones stay.
    expect((await readdir(join(project.dir, 'models'))).sort()).toEqual(modelsBefore.sort());
    expect(await core.dispatch('training:status', {})).toMatchObject({
      ok: true,
      value: { phase: 'failed' },
    });
    expect((await core.dispatch('project:current', {})).ok).toBe(true);
  });
});
