/**
 * A project's model folders, `models/<id>/`: names for new ones, the newest of a list, and
 * removal that refuses anything but a real folder directly inside the project's models/.
 */
import { lstat, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_ID_PATTERN, type ModelEntry } from '../../shared/project';
import { PathError, isInside } from './files';

export const MODELS_FOLDER = 'models';

/**
 * A fresh model id: the architecture and the UTC time, `unet-20261204-083000`, with `-2`,
 * `-3`… when two runs start within one second.
 */
export function newModelId(arch: string, date: Date, taken: ReadonlySet<string>): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  const base = `${arch.replace(/[^A-Za-z0-9_-]+/g, '_')}-${day}-${time}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The most recently created model, or null for an empty list. */
export function newestModel(models: readonly ModelEntry[]): ModelEntry | null {
  let newest: ModelEntry | null = null;
  for (const m of models) if (!newest || m.createdAt >= newest.createdAt) newest = m;
  return newest;
}

/** Where model `id` lives (or will): `root/models/<id>`. Refuses an id that is not a name. */
export function modelFolder(root: string, id: string): string {
  if (!IMAGE_ID_PATTERN.test(id)) {
    throw new PathError('PATH_OUTSIDE_PROJECT', `"${id}" is not a model folder name`);
  }
  return join(root, MODELS_FOLDER, id);
}

/**
 * The real path of `root/models/<id>`, or null when it does not exist. Throws
 * PATH_OUTSIDE_PROJECT for a link, a file, or anything whose real location is not strictly
 * inside the project's real models/ folder.
 */
export async function resolveModelFolder(root: string, id: string): Promise<string | null> {
  const realRoot = await realpath(root);
  const allowed = join(realRoot, MODELS_FOLDER);
  const folder = modelFolder(realRoot, id);
  const info = await lstat(folder).catch(() => null);
  if (!info) return null;
  const real = info.isDirectory() ? await realpath(folder) : null;
  if (!real || info.isSymbolicLink() || real === allowed || !isInside(allowed, real)) {
    throw new PathError(
      'PATH_OUTSIDE_PROJECT',
      `${MODELS_FOLDER}/${id} is not a model folder inside the project; it was left alone`,
    );
  }
  return real;
}

/** Deletes `root/models/<id>` and all in it, after the checks of {@link resolveModelFolder}. */
export async function removeModelFolder(root: string, id: string): Promise<void> {
  const real = await resolveModelFolder(root, id);
  if (real) await rm(real, { recursive: true, force: true });
}
