/**
 * The sample project a first launch opens: a few ISBI 2012 electron-microscopy slices from
 * assets/sample, imported into a project in the user data folder, with their membrane labels
 * on some of them as masks (class 1 = membrane) so there is something to see and train on.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Project, PROJECT_FILE } from './project/project';
import { createLogger } from './log';

const log = createLogger('sample');

/** Opens the sample project under `parentDir`, creating it from `assetsDir` the first time. */
export async function ensureSampleProject(parentDir: string, assetsDir: string): Promise<Project> {
  const dir = join(parentDir, 'sample-project');
  if (await stat(join(dir, PROJECT_FILE)).catch(() => null)) return Project.open(dir);

  const project = await Project.create(dir, 'ISBI 2012 membranes (sample)', [
    { id: 1, name: 'membrane', color: '#ff3b30' },
  ]);
  const imageDir = join(assetsDir, 'sample', 'images');
  const { added } = await project.addImages([imageDir]);
  const labelDir = join(assetsDir, 'sample', 'labels');
  const labels = new Set(await readdir(labelDir).catch(() => [] as string[]));
  for (const image of added) {
    if (!labels.has(image.name)) continue;
    const { data, info } = await sharp(join(labelDir, image.name))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // ISBI labels are 255 = cell interior, 0 = membrane; the sample's class 1 is the membrane.
    const mask = new Uint8Array(info.width * info.height);
    for (let i = 0; i < mask.length; i++) mask[i] = data[i]! < 128 ? 1 : 0;
    await project.saveMask(image.id, info.width, info.height, mask);
  }
  log.info(`created the sample project in ${dir}`);
  return Project.open(dir);
}
