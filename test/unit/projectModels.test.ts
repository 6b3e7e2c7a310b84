import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/ipc';
import type { ModelEntry } from '../../shared/project';
import { Core } from '../../src-main/core';
import { encodeMask } from '../../src-main/imageio';
import { writeAtomic } from '../../src-main/project/files';
import { newModelId } from '../../src-main/project/modelFolders';
import { Project } from '../../src-main/project/project';
import { tempDir, writeImage } from '../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

async function projectWithImages(n = 3): Promise<Project> {
  const project = await Project.create(join(tmp.dir, 'p'), 'Cells');
  const files = [];
  for (let i = 0; i < n; i++) {
    const file = join(tmp.dir, `im${i}.png`);
    await writeImage(file, { width: 8, height: 4, channels: 1, format: 'png' });
    files.push(file);
  }
  await project.addImages(files);
  return project;
}

function entry(id: string, createdAt: string): ModelEntry {
  return {
    id,
    arch: 'unet',
    createdAt,
    trainImages: 2,
    valImages: 1,
    classes: 2,
    backend: 'wasm',
    seconds: 60,
    epochs: 4,
    val: { miou: 0.5, pixelAccuracy: 0.9, boundaryF1: null },
  };
}

/** A model folder with a file in it, listed in the project (and so made active). */
async function addModel(project: Project, id: string, createdAt: string): Promise<void> {
  await mkdir(project.models.dir(id), { recursive: true });
  await writeFile(join(project.models.dir(id), 'model.json'), '{}');
  await project.models.add(entry(id, createdAt));
}

/** Writes a proposal file as the engine would, and records it. */
async function propose(project: Project, id: string, modelId: string, data: Uint8Array) {
  const file = project.proposals.path(id);
  await mkdir(dirname(file), { recursive: true });
  await writeAtomic(file, await encodeMask(data, 8, 4));
  return project.proposals.record(modelId, [{ id, confidence: 0.8, uncertainShare: 0.1 }]);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('projects from older SkipSeg', () => {
  it('open without models or proposals and gain them on the next save', async () => {
    const dir = join(tmp.dir, 'old');
    await mkdir(join(dir, 'images'), { recursive: true });
    await writeImage(join(dir, 'images', 'a.png'), {
      width: 8,
      height: 4,
      channels: 1,
      format: 'png',
    });
    const old = {
      schemaVersion: 1,
      name: 'Old',
      createdAt: '2026-01-01T00:00:00Z',
      classes: [{ id: 1, name: 'cell', color: '#ff0000' }],
      images: [
        {
          id: 'a',
          file: 'images/a.png',
          name: 'a.png',
          width: 8,
          height: 4,
          channels: 1,
          bitDepth: 8,
          split: 'unassigned',
          status: 'partial',
        },
      ],
    };
    await writeFile(join(dir, 'project.json'), JSON.stringify(old));
    const project = await Project.open(dir);
    expect(project.summary).toMatchObject({
      models: [],
      activeModelId: null,
      architecture: 'unet',
    });
    expect(project.listImages()[0]).toMatchObject({ id: 'a', proposal: null, split: 'unassigned' });

    await project.setSplit(['a'], 'val');
    const saved = JSON.parse(await readFile(join(dir, 'project.json'), 'utf8'));
    expect(saved).toMatchObject({ models: [], activeModelId: null });
    expect(saved.images[0]).toMatchObject({ split: 'val', proposal: null });
  });
});

describe('splits in the project', () => {
  it('persists a move between training and validation; refuses unknown images', async () => {
    const project = await projectWithImages();
    await project.setSplit(['im0', 'im1'], 'val');
    await project.setSplit(['im1'], 'train');
    const reopened = await Project.open(project.dir);
    expect(reopened.listImages().map((im) => im.split)).toEqual(['val', 'train', 'unassigned']);
    await expect(reopened.setSplit(['im2', 'nope'], 'val')).rejects.toMatchObject({
      code: 'UNKNOWN_IMAGE',
    });
    expect(reopened.image('im2').split).toBe('unassigned');
  });

  it('places images as they gain labels through the core, and moves them on request', async () => {
    const project = await projectWithImages();
    const core = new Core({ version: 't', transport: 'web' });
    await core.dispatch('project:open', { dir: project.dir });
    const events: EventName[] = [];
    core.subscribe((name) => events.push(name));
    const partial = new Uint8Array(32).fill(255).fill(1, 0, 5);
    for (const id of ['im0', 'im1']) {
      expect(
        await core.dispatch('mask:save', { id, width: 8, height: 4, data: partial }),
      ).toMatchObject({ ok: true });
    }
    const listed = await core.dispatch('project:listImages', {});
    const splits = listed.ok ? (listed.value as { split: string }[]).map((im) => im.split) : [];
    expect(splits).toEqual(['train', 'val', 'unassigned']);
    expect(events).toContain('project:imagesChanged');

    const moved = await core.dispatch('image:setSplit', { ids: ['im1'], split: 'train' });
    expect(moved.ok && (moved.value as { split: string }[])[1]!.split).toBe('train');
    expect((await Project.open(project.dir)).image('im1').split).toBe('train');
    expect(
      await core.dispatch('image:setSplit', { ids: ['im1'], split: 'unassigned' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });
});

describe('models in the project', () => {
  it('names models by architecture and UTC time, unique within the project', () => {
    const date = new Date('2026-12-04T08:30:00Z');
    expect(newModelId('unet', date, new Set())).toBe('unet-20261204-083000');
    expect(newModelId('unet', date, new Set(['unet-20261204-083000']))).toBe(
      'unet-20261204-083000-2',
    );
  });

  it('adds, activates and deletes; the newest remaining model takes over', async () => {
    const project = await projectWithImages();
    await addModel(project, 'unet-a', '2026-01-01T00:00:00Z');
    await addModel(project, 'unet-c', '2026-03-01T00:00:00Z');
    await addModel(project, 'unet-b', '2026-02-01T00:00:00Z');
    expect(project.summary.activeModelId).toBe('unet-b');
    await project.models.setActive('unet-c');
    await expect(project.models.setActive('nope')).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' });

    await project.models.delete('unet-c');
    expect(await exists(project.models.dir('unet-c'))).toBe(false);
    const reopened = await Project.open(project.dir);
    expect(reopened.summary.models.map((m) => m.id)).toEqual(['unet-a', 'unet-b']);
    expect(reopened.summary.activeModelId).toBe('unet-b');

    await reopened.models.delete('unet-a');
    expect(reopened.summary.activeModelId).toBe('unet-b');
    await reopened.models.delete('unet-b');
    expect(reopened.summary).toMatchObject({ models: [], activeModelId: null });
    expect(await readdir(join(project.dir, 'models'))).toEqual([]);
  });

  it('never deletes anything outside the project models folder', async () => {
    const project = await projectWithImages();
    const outside = join(tmp.dir, 'precious');
    await mkdir(outside);
    await writeFile(join(outside, 'keep.txt'), 'mine');
    await symlink(outside, join(project.dir, 'models', 'linked'));
    await project.models.add(entry('linked', '2026-01-01T00:00:00Z'));
    await writeFile(join(project.dir, 'models', 'afile'), 'not a folder');
    await project.models.add(entry('afile', '2026-01-02T00:00:00Z'));

    for (const id of ['linked', 'afile']) {
      await expect(project.models.delete(id)).rejects.toMatchObject({
        code: 'PATH_OUTSIDE_PROJECT',
      });
    }
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('mine');
    expect(await exists(join(project.dir, 'models', 'afile'))).toBe(true);
    // Refused before any change: both are still listed.
    expect((await Project.open(project.dir)).summary.models.map((m) => m.id)).toEqual([
      'linked',
      'afile',
    ]);
    expect(() => project.models.dir('../images')).toThrow(/not a model folder name/);
  });
});

describe('proposals in the project', () => {
  it('round-trips through write, get and discard', async () => {
    const project = await projectWithImages();
    await addModel(project, 'unet-a', '2026-01-01T00:00:00Z');
    const data = Uint8Array.from({ length: 32 }, (_, i) => i % 3);
    expect(await propose(project, 'im1', 'unet-a', data)).toEqual(['im1']);

    const reopened = await Project.open(project.dir);
    const got = await reopened.proposals.get('im1');
    expect(got).toMatchObject({
      id: 'im1',
      width: 8,
      height: 4,
      modelId: 'unet-a',
      confidence: 0.8,
      uncertainShare: 0.1,
    });
    expect([...got!.data]).toEqual([...data]);
    expect(reopened.listImages()[1]!.proposal).toEqual({
      modelId: 'unet-a',
      confidence: 0.8,
      uncertainShare: 0.1,
    });
    expect(await reopened.proposals.get('im0')).toBeNull();

    expect(await reopened.proposals.discard('im1')).toBe(true);
    expect(await exists(reopened.proposals.path('im1'))).toBe(false);
    expect(await reopened.proposals.get('im1')).toBeNull();
    expect((await Project.open(project.dir)).listImages()[1]!.proposal).toBeNull();
    expect(await reopened.proposals.discard('im1')).toBe(false);
  });

  it('shows only the active model’s proposals and goes with its model', async () => {
    const project = await projectWithImages();
    await addModel(project, 'unet-a', '2026-01-01T00:00:00Z');
    await propose(project, 'im0', 'unet-a', new Uint8Array(32).fill(1));
    await addModel(project, 'unet-b', '2026-02-01T00:00:00Z');
    expect(project.listImages()[0]!.proposal).toBeNull();
    expect(await project.proposals.get('im0')).toBeNull();
    await project.models.setActive('unet-a');
    expect(project.listImages()[0]!.proposal?.modelId).toBe('unet-a');

    // A proposal for a model that is not listed is deleted rather than recorded.
    expect(await propose(project, 'im2', 'gone', new Uint8Array(32))).toEqual([]);
    expect(await exists(project.proposals.path('im2'))).toBe(false);

    expect(await project.models.delete('unet-a')).toEqual(['im0']);
    expect(await exists(project.proposals.path('im0'))).toBe(false);
    expect(project.image('im0').proposal).toBeNull();
  });

  it('answers over the core: get, discard, and model changes with their events', async () => {
    const project = await projectWithImages();
    await addModel(project, 'unet-a', '2026-01-01T00:00:00Z');
    await propose(project, 'im0', 'unet-a', new Uint8Array(32).fill(1));
    const core = new Core({ version: 't', transport: 'web' });
    await core.dispatch('project:open', { dir: project.dir });
    const events: [string, unknown][] = [];
    core.subscribe((name, payload) => events.push([name, payload]));

    const got = await core.dispatch('proposal:get', { id: 'im0' });
    expect(got.ok && (got.value as { data: Uint8Array }).data).toBeInstanceOf(Uint8Array);
    expect(await core.dispatch('proposal:discard', { id: 'im0' })).toEqual({ ok: true, value: {} });
    expect(events.map(([n]) => n)).toEqual(['proposals:changed', 'project:imagesChanged']);
    expect(await core.dispatch('proposal:get', { id: 'im0' })).toEqual({ ok: true, value: null });

    // Switching models changes what im1 and im2 show (b's proposal, then a's): the window is
    // told, so an open image does not keep showing the other model's proposal.
    const again = await Project.open(project.dir);
    await propose(again, 'im1', 'unet-a', new Uint8Array(32).fill(1));
    await addModel(again, 'unet-b', '2026-02-01T00:00:00Z');
    await propose(again, 'im2', 'unet-b', new Uint8Array(32).fill(2));
    await core.dispatch('project:open', { dir: project.dir });
    expect(await core.dispatch('proposal:get', { id: 'im1' })).toEqual({ ok: true, value: null });
    events.length = 0;
    expect(await core.dispatch('models:setActive', { id: 'unet-a' })).toMatchObject({ ok: true });
    const changed = events.filter(([n]) => n === 'proposals:changed').map(([, p]) => p);
    expect(changed).toEqual([{ ids: ['im2', 'im1'] }]);
    const shown = await core.dispatch('proposal:get', { id: 'im1' });
    expect(shown.ok && (shown.value as { modelId: string }).modelId).toBe('unet-a');
    await core.dispatch('models:delete', { id: 'unet-b' });

    const deleted = await core.dispatch('models:delete', { id: 'unet-a' });
    expect(deleted).toMatchObject({ ok: true, value: { models: [], activeModelId: null } });
    expect(await core.dispatch('models:setActive', { id: 'unet-a' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_MODEL' },
    });
    expect(await core.dispatch('proposals:run', {})).toMatchObject({
      ok: false,
      error: { code: 'NO_ENGINE' },
    });
  });
});
