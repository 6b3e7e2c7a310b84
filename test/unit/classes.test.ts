import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkClassUpdate, nextClassId, remapClass } from '../../shared/classes';
import { Core } from '../../src-main/core';
import { decodeMask } from '../../src-main/imageio';
import { Project } from '../../src-main/project/project';
import { tempDir, writeImage } from '../helpers/fixtures';

const cell = { id: 1, name: 'cell', color: '#ff0000' };
const nucleus = { id: 2, name: 'nucleus', color: '#00ff00' };

describe('class rules', () => {
  it('allows renames, recolours and additions but not a silent removal or a duplicate', () => {
    expect(
      checkClassUpdate([cell], [{ ...cell, name: 'body', color: '#0000ff' }, nucleus]),
    ).toBeNull();
    expect(checkClassUpdate([cell, nucleus], [cell])).toMatch(/"nucleus" \(2\) is missing/);
    expect(checkClassUpdate([cell], [cell, { ...nucleus, id: 1 }])).toMatch(/id 1 appears twice/);
  });

  it('remaps only the pixels of one class and says whether any changed', () => {
    const mask = Uint8Array.from([0, 1, 2, 255, 1]);
    expect(remapClass(mask, 1, 255)).toBe(true);
    expect([...mask]).toEqual([0, 255, 2, 255, 255]);
    expect(remapClass(mask, 7, 0)).toBe(false);
  });

  it('gives the lowest free id', () => {
    expect(nextClassId([cell, { ...nucleus, id: 3 }])).toBe(2);
    const all = Array.from({ length: 254 }, (_, i) => ({ ...cell, id: i + 1 }));
    expect(nextClassId(all)).toBeNull();
  });
});

describe('classes through the core', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.remove());

  async function projectWithMasks() {
    const dir = join(tmp.dir, 'p');
    const project = await Project.create(dir, 'Cells', [cell, nucleus]);
    await writeImage(join(tmp.dir, 'a.png'), { width: 4, height: 2, channels: 1, format: 'png' });
    await writeImage(join(tmp.dir, 'b.png'), { width: 4, height: 2, channels: 1, format: 'png' });
    await project.addImages([join(tmp.dir, 'a.png'), join(tmp.dir, 'b.png')]);
    await project.saveMask('a', 4, 2, Uint8Array.from([2, 2, 1, 1, 0, 0, 255, 255]));
    await project.saveMask('b', 4, 2, Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]));
    const core = new Core({ version: 'test', transport: 'web' });
    await core.dispatch('project:open', { dir });
    return { core, dir };
  }

  it('deletes a class in use by rewriting only the masks that hold it', async () => {
    const { core, dir } = await projectWithMasks();
    const events: string[] = [];
    core.subscribe((name) => events.push(name));

    const usage = await core.dispatch('classes:usage', { id: 2 });
    expect(usage).toEqual({ ok: true, value: { imageIds: ['a'] } });

    const deleted = await core.dispatch('classes:delete', { id: 2, replaceWith: 255 });
    expect(deleted.ok && deleted.value).toMatchObject({ changedImageIds: ['a'] });
    expect([...(await decodeMask(join(dir, 'masks', 'a.png'), 4, 2))]).toEqual([
      255, 255, 1, 1, 0, 0, 255, 255,
    ]);
    expect([...(await decodeMask(join(dir, 'masks', 'b.png'), 4, 2))]).toEqual([
      1, 1, 1, 1, 0, 0, 0, 0,
    ]);
    expect((await Project.open(dir)).summary.classes).toEqual([cell]);
    expect(events).toEqual(['project:changed', 'project:imagesChanged']);
  });

  it('refuses an unknown target class and a set that drops a class, changing nothing', async () => {
    const { core, dir } = await projectWithMasks();
    const bad = await core.dispatch('classes:delete', { id: 2, replaceWith: 9 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_CLASSES' } });
    const dropped = await core.dispatch('classes:set', { classes: [cell] });
    expect(dropped).toMatchObject({ ok: false, error: { code: 'BAD_CLASSES' } });
    expect((await Project.open(dir)).summary.classes).toEqual([cell, nucleus]);

    const renamed = await core.dispatch('classes:set', {
      classes: [
        cell,
        { ...nucleus, name: 'nuclei', color: '#123456' },
        { id: 3, name: 'x', color: '#abcdef' },
      ],
    });
    expect(renamed.ok).toBe(true);
    expect((await Project.open(dir)).summary.classes.map((c) => c.name)).toEqual([
      'cell',
      'nuclei',
      'x',
    ]);
  });

  it('validates payloads before any handler runs', async () => {
    const { core } = await projectWithMasks();
    const result = await core.dispatch('classes:set', {
      classes: [{ id: 0, name: 'bg', color: 'red' }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
