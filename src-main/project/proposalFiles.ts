/**
 * A project's proposals on disk: `proposals/<image id>.png`, one 8-bit grey PNG per image,
 * pixel = class id, written by the engine (atomically) from the active model's prediction.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeMask } from '../imageio';
import { resolveInside } from './files';

export const PROPOSALS_FOLDER = 'proposals';

/** The proposal's path relative to the project folder. */
export function proposalFile(id: string): string {
  return `${PROPOSALS_FOLDER}/${id}.png`;
}

/** Reads image `id`'s proposal of `width`×`height`; throws PathError or ImageError. */
export async function readProposalFile(
  root: string,
  id: string,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const real = await resolveInside(root, PROPOSALS_FOLDER, proposalFile(id));
  return decodeMask(real, width, height);
}

/** Deletes image `id`'s proposal file if there is one. */
export async function removeProposalFile(root: string, id: string): Promise<void> {
  await rm(join(root, proposalFile(id)), { force: true });
}
