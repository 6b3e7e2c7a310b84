/**
 * The editor core's notifications: mask listeners hear the dirty rectangle, change
 * listeners hear that the snapshot moved on. Changes made during a batch are told once,
 * when the outermost batch ends, so one input event means at most one redraw.
 */
import { unionRect } from './rect';
import type { Rect } from './types';

/** Receives the rectangle, in image pixels, holding every pixel that just changed. */
export type MaskListener = (dirty: Rect) => void;

/**
 * Collects changes and tells listeners about them in batches.
 *
 * NOTE: a batch reports one rectangle, the union of what changed; an undo whose patches
 * lie in opposite corners therefore redraws everything between them.
 */
export class EditorEvents {
  private readonly maskListeners = new Set<MaskListener>();
  private readonly changeListeners = new Set<() => void>();
  private pendingDirty: Rect | null = null;
  private hasPendingChange = false;
  private batchDepth = 0;
  private revisionCount = 0;
  private versionCount = 0;

  /** Grows on every change of mask pixels. */
  get revision(): number {
    return this.revisionCount;
  }

  /** Grows on every change of any kind; a cached snapshot is stale once it moves. */
  get version(): number {
    return this.versionCount;
  }

  onMaskChange(listener: MaskListener): () => void {
    this.maskListeners.add(listener);
    return () => this.maskListeners.delete(listener);
  }

  subscribe(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Records changed mask pixels (a null rectangle means none changed). */
  maskChanged(rect: Rect | null): void {
    if (!rect) return;
    this.pendingDirty = unionRect(this.pendingDirty, rect);
    this.revisionCount++;
    this.changed();
  }

  /** Records a change of anything the snapshot shows. */
  changed(): void {
    this.versionCount++;
    this.hasPendingChange = true;
    if (this.batchDepth === 0) this.notify();
  }

  /** Runs `work`, then tells listeners once about everything it changed. */
  batch<T>(work: () => T): T {
    this.batchDepth++;
    try {
      return work();
    } finally {
      this.batchDepth--;
      if (this.batchDepth === 0) this.notify();
    }
  }

  private notify(): void {
    const dirty = this.pendingDirty;
    this.pendingDirty = null;
    if (dirty) for (const listener of this.maskListeners) listener(dirty);
    if (!this.hasPendingChange) return;
    this.hasPendingChange = false;
    for (const listener of this.changeListeners) listener();
  }
}
