/**
 * Decoded images kept for quick switching: the one shown and its neighbours, loaded ahead
 * (prefetch), so stepping to the next image draws without waiting for the network or the
 * PNG decoder. The cache owns every bitmap and closes it on eviction, never while shown.
 */
import type { LoadedImage } from './loadImage';
import { loadImage } from './loadImage';

const CAPACITY = 6;

const entries = new Map<string, Promise<LoadedImage | null>>();
let shownId: string | null = null;

/** The image, from the cache or loaded now; null (with an error notice) if it fails. */
export function getImage(id: string): Promise<LoadedImage | null> {
  let pending = entries.get(id);
  if (pending) {
    // Re-insert: Map order is the eviction order, oldest first.
    entries.delete(id);
  } else {
    pending = loadImage(id);
    void pending.then((loaded) => {
      if (!loaded && entries.get(id) === pending) entries.delete(id);
    });
  }
  entries.set(id, pending);
  evict();
  return pending;
}

/** Starts loading images that are likely next, without waiting for them. */
export function prefetch(ids: readonly (string | null)[]): void {
  for (const id of ids) if (id !== null && !entries.has(id)) void getImage(id);
}

/** Marks the image on screen, which eviction must skip. */
export function setShown(id: string | null): void {
  shownId = id;
  evict();
}

/** Drops one image (its mask changed on disk) or all of them (another project). */
export function forget(id?: string): void {
  for (const key of id === undefined ? [...entries.keys()] : [id]) {
    const pending = entries.get(key);
    if (!pending) continue;
    entries.delete(key);
    if (key !== shownId) void pending.then((loaded) => loaded?.bitmap.close());
  }
}

function evict(): void {
  for (const key of entries.keys()) {
    if (entries.size <= CAPACITY) break;
    if (key === shownId) continue;
    forget(key);
  }
}
