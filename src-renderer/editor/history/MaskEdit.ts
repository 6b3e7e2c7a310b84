/**
 * One edit in progress on a mask: tools write spans through it, and it keeps a copy of
 * every 64×64 tile before its first write, with the box of pixels changed in it, so that
 * finishing the edit yields patches of only what changed and cancelling it restores the
 * mask exactly.
 */
import { Bounds } from '../rect';
import type { MaskBuffer, Rect } from '../types';
import { packBytes } from './packBytes';
import { copyRect, cropBytes, type Patch, pasteRect } from './patch';

// NOTE: tiles keep memory proportional to the area a stroke touched, not to its bounding
// box: a diagonal stroke across 8192² touches about 250 tiles, not the whole mask.
const TILE_SHIFT = 6;
const TILE_SIZE = 1 << TILE_SHIFT;

/** A tile as it was before the edit's first write to it. */
interface TileBackup {
  readonly rect: Rect;
  readonly before: Uint8Array;
  /** The pixels of this tile the edit changed. */
  readonly changed: Bounds;
}

/** An open edit on a mask; write with `writeSpan`, then `finish` or `revert` it. */
export class MaskEdit {
  private readonly backups = new Map<number, TileBackup>();
  private readonly tilesPerRow: number;
  private readonly dirty = new Bounds();

  constructor(readonly mask: MaskBuffer) {
    this.tilesPerRow = Math.ceil(mask.width / TILE_SIZE);
  }

  /**
   * Sets pixels x0..x1 (inclusive) of row y to `value`, clipped to the mask. Only pixels
   * whose value really changes count towards the dirty rectangle.
   */
  writeSpan(y: number, x0: number, x1: number, value: number): void {
    const { width, height, data } = this.mask;
    if (y < 0 || y >= height) return;
    const left = Math.max(0, x0);
    const right = Math.min(width - 1, x1);
    if (left > right) return;
    this.backUpSpan(y, left, right);

    const row = y * width;
    let first = -1;
    let last = -1;
    for (let i = row + left, end = row + right; i <= end; i++) {
      if (data[i] === value) continue;
      data[i] = value;
      if (first < 0) first = i;
      last = i;
    }
    if (first >= 0) this.markChanged(y, first - row, last - row);
  }

  /**
   * Copies `bytes` into row y from column x0 on, clipped to the mask: for pasting whole
   * masks or proposals, where values differ pixel by pixel.
   */
  writeBytes(y: number, x0: number, bytes: Uint8Array): void {
    const { width, height, data } = this.mask;
    if (y < 0 || y >= height) return;
    const left = Math.max(0, x0);
    const right = Math.min(width - 1, x0 + bytes.length - 1);
    if (left > right) return;
    this.backUpSpan(y, left, right);

    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = left; x <= right; x++) {
      const value = bytes[x - x0]!;
      if (data[row + x] === value) continue;
      data[row + x] = value;
      if (first < 0) first = x;
      last = x;
    }
    if (first >= 0) this.markChanged(y, first, last);
  }

  /** The rectangle changed since the last call (or since the edit began); null if none. */
  takeDirty(): Rect | null {
    const rect = this.dirty.toRect();
    this.dirty.clear();
    return rect;
  }

  /** Ends the edit: the changed part of each touched tile, before and after. */
  finish(): Patch[] {
    // TODO: pack "after" straight from the mask instead of copying it first; a fill of a
    // whole 8192² mask spends most of its ~1 s (2 shared cores) copying and packing here.
    const patches: Patch[] = [];
    for (const { rect, before, changed } of this.backups.values()) {
      const box = changed.toRect();
      if (!box) continue;
      const isWholeTile = box.width === rect.width && box.height === rect.height;
      const beforeBytes = isWholeTile ? before : cropBytes(before, rect, box);
      const after = packBytes(copyRect(this.mask, box));
      patches.push({ ...box, before: packBytes(beforeBytes), after });
    }
    this.backups.clear();
    return patches;
  }

  /** Ends the edit by putting every changed tile back; returns the rectangle restored. */
  revert(): Rect | null {
    const restored = new Bounds();
    for (const { rect, before, changed } of this.backups.values()) {
      if (changed.isEmpty) continue;
      pasteRect(this.mask, rect, before);
      restored.addRect(rect);
    }
    this.backups.clear();
    this.dirty.clear();
    return restored.toRect();
  }

  private backUpSpan(y: number, left: number, right: number): void {
    const rowKey = (y >> TILE_SHIFT) * this.tilesPerRow;
    for (let tx = left >> TILE_SHIFT; tx <= right >> TILE_SHIFT; tx++) {
      const key = rowKey + tx;
      if (this.backups.has(key)) continue;
      const rect = this.tileRect(key);
      this.backups.set(key, { rect, before: copyRect(this.mask, rect), changed: new Bounds() });
    }
  }

  /** Records that pixels first..last of row y changed, in the edit and in each tile. */
  private markChanged(y: number, first: number, last: number): void {
    this.dirty.addSpan(y, first, last);
    const rowKey = (y >> TILE_SHIFT) * this.tilesPerRow;
    for (let tx = first >> TILE_SHIFT; tx <= last >> TILE_SHIFT; tx++) {
      const tileLeft = tx << TILE_SHIFT;
      const tileRight = tileLeft + TILE_SIZE - 1;
      const tile = this.backups.get(rowKey + tx)!;
      tile.changed.addSpan(y, Math.max(first, tileLeft), Math.min(last, tileRight));
    }
  }

  private tileRect(key: number): Rect {
    const x = (key % this.tilesPerRow) * TILE_SIZE;
    const y = Math.floor(key / this.tilesPerRow) * TILE_SIZE;
    const width = Math.min(TILE_SIZE, this.mask.width - x);
    return { x, y, width, height: Math.min(TILE_SIZE, this.mask.height - y) };
  }
}
