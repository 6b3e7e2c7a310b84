/**
 * Rules for changing a project's classes, kept apart from the file handling so they can
 * be tested on plain data.
 */
import { MAX_CLASS_ID, type ClassDef } from './project';

/** Why `next` may not replace `current` (a removed id, a duplicate), or null if it may. */
export function checkClassUpdate(
  current: readonly ClassDef[],
  next: readonly ClassDef[],
): string | null {
  const ids = new Set<number>();
  for (const cls of next) {
    if (ids.has(cls.id)) return `class id ${cls.id} appears twice`;
    if (cls.id < 1 || cls.id > MAX_CLASS_ID)
      return `class id ${cls.id} is outside 1..${MAX_CLASS_ID}`;
    ids.add(cls.id);
  }
  const removed = current.find((c) => !ids.has(c.id));
  if (removed) {
    return `class "${removed.name}" (${removed.id}) is missing; delete a class on its own`;
  }
  return null;
}

/** Rewrites pixels of class `from` to `to` in place; true if any pixel changed. */
export function remapClass(mask: Uint8Array, from: number, to: number): boolean {
  let isChanged = false;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === from) {
      mask[i] = to;
      isChanged = true;
    }
  }
  return isChanged;
}

/** The lowest class id not in use, or null when all 254 are taken. */
export function nextClassId(classes: readonly ClassDef[]): number | null {
  const used = new Set(classes.map((c) => c.id));
  for (let id = 1; id <= MAX_CLASS_ID; id++) if (!used.has(id)) return id;
  return null;
}
