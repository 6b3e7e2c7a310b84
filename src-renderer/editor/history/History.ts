/**
 * Undo and redo of whole mask operations. Each step keeps only the patches its operation
 * changed, and the oldest steps are dropped once a byte budget or step count is passed.
 */
import { Bounds } from '../rect';
import type { MaskBuffer, Rect } from '../types';
import { unpackBytes } from './packBytes';
import { type Patch, pasteRect } from './patch';

/** Limits on what history keeps; the newest step is always kept, whatever its size. */
export interface HistoryOptions {
  /** Most undo steps kept. Default 1000. */
  maxSteps?: number;
  /** Most bytes of patch data kept over undo and redo together. Default 256 MiB. */
  byteBudget?: number;
}

/** One undoable operation: a stroke from pointer down to up, a fill, a polygon. */
export interface HistoryStep {
  /** Unique per history; names the mask state this step leads to. */
  readonly serial: number;
  readonly patches: readonly Patch[];
  /** What the step costs against the byte budget. */
  readonly bytes: number;
}

/** Default limits: a few hundred full-size strokes fit in the budget. */
export const DEFAULT_HISTORY_OPTIONS: Required<HistoryOptions> = {
  maxSteps: 1000,
  byteBudget: 256 * 1024 * 1024,
};

// Rough cost of a patch's object and its rectangle, so that many tiny steps count too.
const PATCH_OVERHEAD_BYTES = 96;

/** The undo and redo stacks of one mask. */
export class History {
  private readonly undoStack: HistoryStep[] = [];
  private redoStack: HistoryStep[] = [];
  private readonly limits: Required<HistoryOptions>;
  private nextSerial = 1;
  private baseSerial = 0;
  private byteCount = 0;

  constructor(options: HistoryOptions = {}) {
    this.limits = { ...DEFAULT_HISTORY_OPTIONS, ...options };
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  get undoDepth(): number {
    return this.undoStack.length;
  }

  get redoDepth(): number {
    return this.redoStack.length;
  }

  /** Bytes held by both stacks, as counted against the budget. */
  get byteSize(): number {
    return this.byteCount;
  }

  /** Names the current mask state: equal serials mean byte-identical masks. */
  get stateSerial(): number {
    return this.undoStack.at(-1)?.serial ?? this.baseSerial;
  }

  /** Records a finished operation and clears redo; null when the patches are empty. */
  push(patches: readonly Patch[]): HistoryStep | null {
    if (patches.length === 0) return null;
    const bytes = patches.reduce((sum, p) => sum + patchBytes(p), 0);
    const step: HistoryStep = { serial: this.nextSerial++, patches, bytes };
    for (const undone of this.redoStack) this.byteCount -= undone.bytes;
    this.redoStack = [];
    this.undoStack.push(step);
    this.byteCount += bytes;
    this.trim();
    return step;
  }

  /** Puts the last step's "before" bytes back; returns the rectangle restored. */
  undo(mask: MaskBuffer): Rect | null {
    const step = this.undoStack.pop();
    if (!step) return null;
    this.redoStack.push(step);
    return applyStep(mask, step, 'before');
  }

  /** Replays the last undone step; returns the rectangle written. */
  redo(mask: MaskBuffer): Rect | null {
    const step = this.redoStack.pop();
    if (!step) return null;
    this.undoStack.push(step);
    return applyStep(mask, step, 'after');
  }

  /** Forgets every step, as when a new mask is loaded; the state gets a new serial. */
  clear(): void {
    this.undoStack.length = 0;
    this.redoStack = [];
    this.byteCount = 0;
    this.baseSerial = this.nextSerial++;
  }

  private trim(): void {
    const { maxSteps, byteBudget } = this.limits;
    while (this.undoStack.length > 1) {
      const isOver = this.byteCount > byteBudget || this.undoStack.length > maxSteps;
      if (!isOver) break;
      const oldest = this.undoStack.shift()!;
      this.byteCount -= oldest.bytes;
      // Undoing everything left now ends at the state the dropped step produced.
      this.baseSerial = oldest.serial;
    }
  }
}

function patchBytes(patch: Patch): number {
  return patch.before.bytes.byteLength + patch.after.bytes.byteLength + PATCH_OVERHEAD_BYTES;
}

function applyStep(mask: MaskBuffer, step: HistoryStep, side: 'before' | 'after'): Rect | null {
  const bounds = new Bounds();
  for (const patch of step.patches) {
    pasteRect(mask, patch, unpackBytes(patch[side]));
    bounds.addRect(patch);
  }
  return bounds.toRect();
}
