/**
 * File-system primitives every project write goes through: atomic writes (temp file in the
 * same folder, fsync, rename) and the containment check that keeps reads inside a project.
 */
import { constants } from 'node:fs';
import { copyFile, open, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import writeFileAtomic from 'write-file-atomic';
import { AppError } from '../../shared/errors';

export type PathErrorCode = 'PATH_OUTSIDE_PROJECT' | 'FILE_MISSING';

export class PathError extends AppError<PathErrorCode> {}

/** Writes `data` so that a reader sees either the old file or the new one, never a mix. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomic(
    file,
    typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    {
      fsync: true,
    },
  );
}

/** Copies `from` to `to` through a synced temp file beside `to` and one rename. */
export async function copyAtomic(from: string, to: string): Promise<void> {
  const temp = join(dirname(to), `.${basename(to)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await copyFile(from, temp, constants.COPYFILE_EXCL);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, to);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** True when `child` is `parent` or lies below it (both already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves `relativePath` under `root`, following symlinks, and refuses it if the real
 * file lies outside `root/folder`. Returns the real path.
 */
export async function resolveInside(
  root: string,
  folder: string,
  relativePath: string,
): Promise<string> {
  const realRoot = await realpath(root);
  const allowed = join(realRoot, folder);
  const wanted = join(realRoot, relativePath);
  if (!isInside(allowed, wanted)) {
    throw new PathError(
      'PATH_OUTSIDE_PROJECT',
      `${relativePath}: outside the project's ${folder}/ folder`,
    );
  }
  let real: string;
  try {
    real = await realpath(wanted);
  } catch {
    throw new PathError('FILE_MISSING', `${relativePath}: file is missing from the project`);
  }
  if (!isInside(allowed, real)) {
    throw new PathError(
      'PATH_OUTSIDE_PROJECT',
      `${relativePath}: links outside the project's ${folder}/ folder`,
    );
  }
  return real;
}
