import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeMask } from '../../src-main/imageio';
import { Project } from '../../src-main/project/project';
import { tempDir, writeImage } from '../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

async function sources(): Promise<string> {
  const dir = join(tmp.dir, 'incoming');
  await mkdir(dir);
  await writeImage(join(dir, 'cells 1.png'), { width: 12, height: 8, channels: 1, format: 'png' });
  await writeImage(join(dir, 'cells-2.tif'), {
    width: 10,
    height: 6,
    channels: 1,
    bitDepth: 16,
    format: 'tiff',
  });
  await writeImage(join(dir, 'photo.jpg'), { width: 8, height: 8, channels: 3, format: 'jpeg' });
  await writeFile(join(dir, 'corrupt.png'), 'not an image at all');
  await writeFile(join(dir, 'notes.txt'), 'ignored: not an image extension');
  return dir;
}

describe('Project on disk', () => {
  it('creates the folders and a project.json that opens again', async () => {
    const dir = join(tmp.dir, 'p');
    await Project.create(dir, 'Cells');
    expect((await readdir(dir)).sort()).toEqual(['images', 'masks', 'models', 'project.json']);
    const reopened = await Project.open(dir);
    expect(reopened.summary).toMatchObject({ name: 'Cells', imageCount: 0, architecture: 'unet' });
    await expect(Project.create(dir, 'again')).rejects.toMatchObject({ code: 'PROJECT_EXISTS' });
  });

  it('imports a folder, skipping a corrupt file with its name and reason', async () => {
    const project = await Project.create(join(tmp.dir, 'p'), 'Cells');
    const before = (await readdir(await sources())).sort();
    const { added, skipped } = await project.addImages([join(tmp.dir, 'incoming')]);

    expect(added.map((im) => [im.id, im.width, im.height, im.channels, im.bitDepth])).toEqual([
      ['cells_1', 12, 8, 1, 8],
      ['cells-2', 10, 6, 1, 16],
      ['photo', 8, 8, 3, 8],
    ]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.reason).toMatch(/^corrupt\.png: not a readable image/);
    // The import wrote copies into the project and nothing beside the sources.
    expect((await readdir(join(tmp.dir, 'incoming'))).sort()).toEqual(before);
    expect((await readdir(join(project.dir, 'images'))).sort()).toEqual([
      'cells-2.tif',
      'cells_1.png',
      'photo.jpg',
    ]);

    const again = await project.addImages([join(tmp.dir, 'incoming', 'photo.jpg')]);
    expect(again.added[0]!.id).toBe('photo-2');
    expect((await Project.open(project.dir)).listImages()).toHaveLength(4);
  });

  it('saves masks atomically and tracks label status', async () => {
    const project = await Project.create(join(tmp.dir, 'p'), 'Cells');
    await project.addImages([await sources()]);
    const empty = await project.getMask('photo');
    expect(empty.exists).toBe(false);
    expect(empty.data.every((v) => v === 255)).toBe(true);

    const mask = new Uint8Array(64).fill(255);
    mask.fill(1, 0, 10);
    expect(await project.saveMask('photo', 8, 8, mask)).toBe('partial');
    expect(await project.saveMask('photo', 8, 8, mask.fill(0, 10))).toBe('labelled');
    expect((await project.getMask('photo')).data).toEqual(mask);
    expect((await readdir(join(project.dir, 'masks'))).filter((n) => n.includes('tmp'))).toEqual(
      [],
    );

    const reopened = await Project.open(project.dir);
    expect(reopened.listImages().find((im) => im.id === 'photo')?.status).toBe('labelled');
    await expect(project.saveMask('photo', 8, 7, new Uint8Array(56))).rejects.toMatchObject({
      code: 'BAD_MASK_SIZE',
    });
    await expect(project.getMask('nope')).rejects.toMatchObject({ code: 'UNKNOWN_IMAGE' });
  });

  it('reports an unreadable mask without touching the file', async () => {
    const project = await Project.create(join(tmp.dir, 'p'), 'Cells');
    await project.addImages([await sources()]);
    const file = join(project.dir, 'masks', 'photo.png');
    await writeFile(file, await encodeMask(new Uint8Array(4 * 4), 4, 4));
    const got = await project.getMask('photo');
    expect(got).toMatchObject({ exists: true, problem: 'photo.png: mask is 4×4, image is 8×8' });
    expect(got.data.every((v) => v === 255)).toBe(true);
    expect(await readFile(file)).toEqual(await encodeMask(new Uint8Array(4 * 4), 4, 4));
  });

  it('refuses image files that lead outside images/, symlinks included', async () => {
    const project = await Project.create(join(tmp.dir, 'p'), 'Cells');
    await project.addImages([await sources()]);
    const secret = join(tmp.dir, 'secret.png');
    await writeImage(secret, { width: 2, height: 2, channels: 1, format: 'png' });
    await symlink(secret, join(project.dir, 'images', 'link.png'));
    const json = JSON.parse(await readFile(join(project.dir, 'project.json'), 'utf8'));
    json.images.push({ ...json.images[0], id: 'linked', file: 'images/link.png' });
    json.images.push({ ...json.images[0], id: 'dotdot', file: 'images/..' });
    await writeFile(join(project.dir, 'project.json'), JSON.stringify(json));

    const reopened = await Project.open(project.dir);
    await expect(reopened.imagePath('linked')).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
    });
    await expect(reopened.imagePath('dotdot')).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
    });
    expect(await reopened.imagePath('photo')).toBe(join(project.dir, 'images', 'photo.jpg'));
  });
});

describe('opening a damaged project', () => {
  async function withProjectJson(content: string): Promise<string> {
    const dir = join(tmp.dir, 'bad');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'project.json'), content);
    return dir;
  }

  it('says a folder without project.json is not a project', async () => {
    await expect(Project.open(tmp.dir)).rejects.toMatchObject({ code: 'NOT_A_PROJECT' });
  });

  it('names the file when the JSON does not parse', async () => {
    const dir = await withProjectJson('{ "schemaVersion": 1, ');
    await expect(Project.open(dir)).rejects.toThrow(`${join(dir, 'project.json')}: not valid JSON`);
  });

  it('reports every bad field by its path', async () => {
    const image = {
      id: 'a',
      file: 'images/a.png',
      name: 'a.png',
      width: -3,
      height: 4,
      channels: 1,
    };
    const dir = await withProjectJson(
      JSON.stringify({
        schemaVersion: 1,
        name: 'x',
        createdAt: 'now',
        classes: [{ id: 1, name: 'c', color: 'red' }],
        images: [{ ...image, bitDepth: 8, split: 'train', status: 'labelled' }],
      }),
    );
    const error = (await Project.open(dir).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'INVALID_PROJECT' });
    expect(error.message).toContain('classes.0.color: a colour like #ff8800');
    expect(error.message).toContain('images.0.width:');
  });

  it('refuses a project from a newer SkipSeg', async () => {
    const dir = await withProjectJson(JSON.stringify({ schemaVersion: 99 }));
    await expect(Project.open(dir)).rejects.toThrow(/schemaVersion: 99 is newer/);
  });

  it('opens a project that a crash left half-written', async () => {
    const project = await Project.create(join(tmp.dir, 'p'), 'Cells');
    await project.addImages([await sources()]);
    // What a crash mid-import leaves: an orphan copy and a temp file; project.json is intact.
    await writeFile(join(project.dir, 'images', 'orphan.png'), 'half');
    await writeFile(join(project.dir, 'project.json.123.tmp'), '{"trunc');
    const reopened = await Project.open(project.dir);
    expect(reopened.listImages().map((im) => im.id)).toEqual(['cells_1', 'cells-2', 'photo']);
  });
});
