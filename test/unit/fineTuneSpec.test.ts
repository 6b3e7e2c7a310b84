/**
 * The fine-tune's side of the engine contract, with a stand-in engine: the TrainSpec it
 * sends (the project's own files, the automatic budget, continuing from the active model)
 * and the refusals that need no engine at all.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineJob, JobResult, TrainSpec } from '../../shared/engineProtocol';
import type { TrainingStatus } from '../../shared/ipc';
import { Core } from '../../src-main/core';
import type { EngineHandle } from '../../src-main/fineTune/host';
import { chooseSeconds } from '../../src-main/fineTune/trainBudget';
import { Project } from '../../src-main/project/project';
import { tempDir, writeImage } from '../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

/** An engine that records jobs and finishes the train job only when told. */
function standInEngine() {
  const jobs: EngineJob[] = [];
  const cancelled: number[] = [];
  let finish: (result: JobResult) => void = () => {};
  const engine: EngineHandle = {
    start: async () => ({ id: 'wasm', label: 'WebAssembly', detail: 'test', skipped: [] }),
    run: async (job) => {
      jobs.push(job);
      return { id: jobs.length, result: new Promise<JobResult>((resolve) => (finish = resolve)) };
    },
    cancel: (id) => void cancelled.push(id),
  };
  return { engine, jobs, cancelled, finish: (result: JobResult) => finish(result) };
}

async function openCore(engine: EngineHandle, labelled: string[]) {
  const project = await Project.create(join(tmp.dir, 'p'), 'Spec');
  const files = [];
  for (const name of ['a', 'b', 'c']) {
    files.push(join(tmp.dir, `${name}.png`));
    await writeImage(files.at(-1)!, { width: 20, height: 10, channels: 1, format: 'png' });
  }
  await project.addImages(files);
  const core = new Core({ version: 't', transport: 'web', engine });
  await core.dispatch('project:open', { dir: project.dir });
  for (const id of labelled) {
    const data = new Uint8Array(200).fill(255).fill(1, 0, 50);
    await core.dispatch('mask:save', { id, width: 20, height: 10, data });
  }
  return { core, project: core.currentProject! };
}

function nextStatus(core: Core, phase: TrainingStatus['phase']): Promise<TrainingStatus> {
  return new Promise((resolve) => {
    const off = core.subscribe((name, payload) => {
      if (name !== 'training:progress' || (payload as TrainingStatus).phase !== phase) return;
      off();
      resolve(payload as TrainingStatus);
    });
  });
}

describe('the TrainSpec of a fine-tune', () => {
  it('lists the project’s own files by split, with the automatic budget and classes', async () => {
    const { engine, jobs } = standInEngine();
    const { core, project } = await openCore(engine, ['a', 'b']);
    const training = nextStatus(core, 'training');
    const started = await core.dispatch('training:start', {});
    expect(started).toMatchObject({
      ok: true,
      value: { phase: 'preparing', trainImages: 1, valImages: 1 },
    });
    await training;

    const spec = (jobs[0] as { spec: TrainSpec }).spec;
    const inProject = (folder: string) => (path: string) =>
      path.startsWith(join(project.dir, folder));
    const pairs = [
      ...('pairs' in spec.train ? spec.train.pairs : []),
      ...('pairs' in spec.val ? spec.val.pairs : []),
    ];
    expect(pairs).toHaveLength(2);
    expect(pairs.every((p) => inProject('images')(p.image) && inProject('masks')(p.mask))).toBe(
      true,
    );
    expect(spec).toMatchObject({
      arch: 'unet',
      classes: 2,
      init: null,
      batch: null,
      tile: null,
      epochs: null,
    });
    expect(spec.seconds).toBe(chooseSeconds(2 * 20 * 10, 'wasm'));
    expect(spec.out).toMatch(new RegExp(`^${project.dir}/models/unet-\\d{8}-\\d{6}$`));
  });

  it('continues from the active model when architecture and classes match', async () => {
    const { engine, jobs, cancelled, finish } = standInEngine();
    const { core, project } = await openCore(engine, ['a']);
    const model = {
      id: 'unet-old',
      arch: 'unet',
      createdAt: '2026-01-01T00:00:00Z',
      trainImages: 1,
      valImages: 0,
      classes: 2,
      backend: 'wasm',
      seconds: 5,
      epochs: 1,
      val: null,
    };
    await project.models.add(model);
    const training = nextStatus(core, 'training');
    await core.dispatch('training:start', { seconds: 30 });
    await training;
    expect((jobs[0] as { spec: TrainSpec }).spec).toMatchObject({
      seconds: 30,
      init: project.models.dir('unet-old'),
    });
    expect(await core.dispatch('models:delete', { id: 'unet-old' })).toMatchObject({
      ok: false,
      error: { code: 'TRAINING_RUNNING' },
    });

    // Cancelled before any checkpoint: nothing is listed, the run says so.
    const ended = nextStatus(core, 'cancelled');
    expect(await core.dispatch('training:cancel', {})).toEqual({
      ok: true,
      value: { wasRunning: true },
    });
    expect(cancelled).toEqual([1]);
    const result = {
      out: '',
      epochs: 0,
      steps: 1,
      seconds: 1,
      best: null,
      backend: 'wasm',
      cancelled: true,
      batch: 2,
      tile: 16,
    } as const;
    finish({ kind: 'train', result });
    expect((await ended).message).toBe('cancelled before the first checkpoint');
    expect(project.summary.models.map((m) => m.id)).toEqual(['unet-old']);
  });

  it('refuses when every labelled image is in validation', async () => {
    const { engine, jobs } = standInEngine();
    const { core } = await openCore(engine, ['a', 'b']);
    await core.dispatch('image:setSplit', { ids: ['a', 'b'], split: 'val' });
    const refused = await core.dispatch('training:start', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'NO_TRAINING_IMAGES' } });
    expect(!refused.ok && refused.error.message).toMatch(/move at least one to training/);
    expect(jobs).toEqual([]);
  });
});
