/**
 * The training/validation split of a project's labelled images, kept in project.json.
 *
 * The rule: an image that carries labels (partly or fully labelled) and has no split yet is
 * placed once and then stays where it is, so validation scores compare like with like
 * across fine-tunes. Validation should hold about {@link VAL_FRACTION} of the labelled
 * images, and at least one as soon as two are labelled; unplaced images fill it in the
 * order of a seeded hash of their id, and the rest train (so, with no image placed by hand,
 * at least one trains). Images the user placed are never moved, even when that leaves
 * validation fuller or emptier than the target.
 */
import type { LabelStatus, Split } from './project';

/** The share of labelled images validation aims for. */
export const VAL_FRACTION = 0.2;

export interface SplitImage {
  id: string;
  split: Split;
  status: LabelStatus;
}

/**
 * Validation images `labelled` images should hold: none for one, else about `fraction` of
 * them, at least one and at most all but one (training needs an image too).
 */
export function valTarget(labelled: number, fraction = VAL_FRACTION): number {
  if (labelled < 2) return 0;
  return Math.min(labelled - 1, Math.max(1, Math.round(labelled * fraction)));
}

/**
 * The splits to give labelled images that have none, by id; images already placed and
 * unlabelled ones are absent. Pure and deterministic: the same images and seed give the
 * same answer, whatever their order.
 */
export function assignSplits(
  images: readonly SplitImage[],
  seed = 0,
  fraction = VAL_FRACTION,
): Map<string, 'train' | 'val'> {
  const labelled = images.filter((im) => im.status !== 'unlabelled');
  const unplaced = labelled.filter((im) => im.split === 'unassigned');
  const inVal = labelled.filter((im) => im.split === 'val').length;
  let wanted = Math.max(0, valTarget(labelled.length, fraction) - inVal);

  const order = unplaced
    .map((im) => ({ id: im.id, key: hashId(im.id, seed) }))
    .sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const splits = new Map<string, 'train' | 'val'>();
  for (const { id } of order) {
    splits.set(id, wanted > 0 ? 'val' : 'train');
    wanted--;
  }
  return splits;
}

/**
 * FNV-1a over the seed and the id, then MurmurHash3's finaliser: a stable 32-bit key in
 * which ids differing in one character (img-20, img-21) land far apart.
 */
function hashId(id: string, seed: number): number {
  let hash = 0x811c9dc5;
  const text = `${seed}:${id}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
