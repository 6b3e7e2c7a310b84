/**
 * The annotation editor's core: one mask, its tools, settings and history, with no DOM or
 * React. The canvas feeds it pointer and key input in image pixels and redraws the dirty
 * rectangles it reports; React reads `getSnapshot()` through `subscribe()`.
 */
import { assert } from '../../shared/errors';
import { NOT_LABELLED } from '../../shared/project';
import { runEditorCommand } from './commands';
import { EditorEvents, type MaskListener } from './EditorEvents';
import { History, type HistoryOptions } from './history/History';
import { MaskEdit } from './history/MaskEdit';
import * as limits from './settings';
import { type EditorCommand, findShortcut } from './shortcuts';
import { createTools } from './tools/createTools';
import type { Tool, ToolContext, ToolSettings } from './tools/Tool';
import type { ImagePixels, Modifiers, PointerInput, Rect, ToolId, ToolOverlay } from './types';

/** How an editor starts. Sizes are in image pixels. */
export interface EditorCoreOptions {
  width: number;
  height: number;
  /** `width * height` class ids, taken over without a copy. Default: all not labelled. */
  mask?: Uint8Array;
  /** The image under the mask, for the magic wand. */
  image?: ImagePixels | null;
  tool?: ToolId;
  /** Class id to paint, 0..255. Default 1. */
  label?: number;
  brushRadius?: number;
  wandTolerance?: number;
  polygonCloseDistance?: number;
  history?: HistoryOptions;
  /** The class id digit key 1..9 selects, or null to leave the key alone. Default: itself. */
  classIdForDigit?: (digit: number) => number | null;
}

/** Everything the UI shows about the editor; a new object whenever something changes. */
export interface EditorSnapshot {
  readonly tool: ToolId;
  readonly label: number;
  readonly brushRadius: number;
  readonly wandTolerance: number;
  readonly polygonCloseDistance: number;
  readonly hasImage: boolean;
  /** Brush preview or polygon in progress, in image pixels; null for nothing. */
  readonly overlay: ToolOverlay | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** A stroke is in progress: the mask holds part of an operation not yet in history. */
  readonly isEditing: boolean;
  /** The mask differs from the state last passed to `markSaved`. */
  readonly isDirty: boolean;
  /** Grows by one or more on every change of the mask's pixels. */
  readonly revision: number;
}

export type { MaskListener };

/**
 * Edits one mask. Every input method may change the mask; listeners hear of it once per
 * call, after the call's work is done.
 *
 * @example
 * const core = new EditorCore({ width, height, mask: maskData.data });
 * core.onMaskChange((rect) => redrawMask(rect));
 * core.pointerDown(12.5, 40.25); core.pointerMove(30, 41); core.pointerUp(30, 41);
 */
export class EditorCore {
  readonly width: number;
  readonly height: number;
  private readonly mask: { readonly width: number; readonly height: number; data: Uint8Array };
  private readonly settings: ToolSettings;
  private readonly history: History;
  private readonly tools: Record<ToolId, Tool>;
  private readonly classIdForDigit: (digit: number) => number | null;
  private tool: Tool;
  private activeEdit: MaskEdit | null = null;
  private savedState: number;
  private readonly events = new EditorEvents();
  private snapshot: EditorSnapshot | null = null;
  private snapshotVersion = -1;

  constructor(options: EditorCoreOptions) {
    const { width, height } = options;
    assert(Number.isInteger(width) && width > 0, 'editor width must be a positive integer');
    assert(Number.isInteger(height) && height > 0, 'editor height must be a positive integer');
    this.width = width;
    this.height = height;
    const data = options.mask ?? new Uint8Array(width * height).fill(NOT_LABELLED);
    assert(data.length === width * height, 'mask length must be width * height');
    this.mask = { width, height, data };
    this.settings = {
      label: 1,
      brushRadius: limits.DEFAULT_BRUSH_RADIUS,
      wandTolerance: limits.DEFAULT_WAND_TOLERANCE,
      polygonCloseDistance: limits.DEFAULT_POLYGON_CLOSE_DISTANCE,
      image: null,
      proposal: null,
    };
    this.history = new History(options.history);
    this.savedState = this.history.stateSerial;
    this.classIdForDigit = options.classIdForDigit ?? ((digit) => digit);
    this.tools = createTools(this.createContext());
    this.tool = this.tools[options.tool ?? 'brush'];
    this.applyOptions(options);
  }

  // --- Input, in image pixels -------------------------------------------------------------

  /** A pointer went down at (x, y); button 0 (primary) draws, others are left to the UI. */
  pointerDown(x: number, y: number, input: PointerInput = {}): void {
    this.batch(() => this.tool.pointerDown({ x, y }, input));
  }

  /** The pointer moved, pressed or not; drives strokes and previews. */
  pointerMove(x: number, y: number, input: PointerInput = {}): void {
    this.batch(() => this.tool.pointerMove({ x, y }, input));
  }

  /** A pointer came up; a stroke ends here and enters history. */
  pointerUp(x: number, y: number, input: PointerInput = {}): void {
    this.batch(() => this.tool.pointerUp({ x, y }, input));
  }

  /** The pointer left the canvas; previews hide. A stroke goes on until pointerUp. */
  pointerLeave(): void {
    this.batch(() => this.tool.pointerLeave());
  }

  /**
   * Runs the shortcut for a key press (`key` as in DOM `KeyboardEvent.key`). Returns
   * whether the editor used it, so the UI prevents the browser's default only then.
   */
  keyDown(key: string, modifiers: Modifiers = {}): boolean {
    const shortcut = findShortcut(key, modifiers);
    return shortcut ? this.runCommand(shortcut.command, key) : false;
  }

  /** Abandons the operation in progress: reverts a stroke, drops a polygon. */
  cancel(): boolean {
    return this.batch(() => this.tool.cancel());
  }

  /**
   * Runs a command as its shortcut would, for menus and buttons. `key` is the digit for
   * 'selectClass'. Returns whether it did anything.
   */
  runCommand(command: EditorCommand, key = ''): boolean {
    return this.batch(() => runEditorCommand(this, command, key));
  }

  /** Enter: closes the polygon in progress. */
  confirm(): boolean {
    return this.batch(() => this.tool.confirm());
  }

  /** Backspace: takes back the polygon's last vertex. */
  removeLastPoint(): boolean {
    return this.batch(() => this.tool.removeLastPoint());
  }

  /** Selects the class that digit key 1..9 stands for; false when it stands for none. */
  selectDigit(digit: number): boolean {
    if (!Number.isInteger(digit) || digit < 1 || digit > 9) return false;
    const id = this.classIdForDigit(digit);
    if (id === null) return false;
    this.setLabel(id);
    return true;
  }

  // --- Settings ---------------------------------------------------------------------------

  get toolId(): ToolId {
    return this.tool.id;
  }

  /** Switches tool: a stroke in progress is committed, a polygon in progress dropped. */
  setTool(id: ToolId): void {
    if (id === this.tool.id) return;
    this.batch(() => {
      this.tool.deactivate();
      this.tool = this.tools[id];
      this.noteChange();
    });
  }

  /** Sets the value painted and filled: a class id 1..254, 0 for background. */
  setLabel(value: number): void {
    assert(limits.isValidLabel(value), `label must be a whole number 0..255, not ${value}`);
    this.updateSetting('label', value);
  }

  /** Sets the brush and eraser radius in image pixels, clamped to 1..512. */
  setBrushRadius(radius: number): void {
    this.updateSetting('brushRadius', limits.clampBrushRadius(radius));
  }

  /** Sets the magic wand tolerance, clamped to whole numbers 0..255. */
  setWandTolerance(tolerance: number): void {
    this.updateSetting('wandTolerance', limits.clampTolerance(tolerance));
  }

  /** Sets how near the first vertex a click closes a polygon, in image pixels. */
  setPolygonCloseDistance(distance: number): void {
    this.updateSetting('polygonCloseDistance', Math.max(0, distance));
  }

  /** Sets or clears the image the magic wand reads; its size must match the mask's. */
  setImage(image: ImagePixels | null): void {
    if (image) {
      const expected = this.width * this.height * image.channels;
      assert(image.data.length === expected, 'image length must be width * height * channels');
    }
    this.updateSetting('image', image);
  }

  /** Sets or clears the proposal the accept brush takes from; its size must match. */
  setProposal(proposal: Uint8Array | null): void {
    if (proposal) assert(proposal.length === this.width * this.height, 'proposal size');
    this.updateSetting('proposal', proposal);
  }

  // --- Mask and history -------------------------------------------------------------------

  /** The live mask, `width * height` class ids; read it, write it only through the core. */
  getMask(): Uint8Array {
    return this.mask.data;
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Undoes the last operation, committing any stroke in progress first. */
  undo(): boolean {
    return this.batch(() => {
      this.tool.settle();
      const rect = this.history.undo(this.mask);
      this.noteMaskChange(rect);
      this.noteChange();
      return rect !== null;
    });
  }

  /** Redoes the last undone operation. */
  redo(): boolean {
    return this.batch(() => {
      this.tool.settle();
      const rect = this.history.redo(this.mask);
      this.noteMaskChange(rect);
      this.noteChange();
      return rect !== null;
    });
  }

  /** Grows on every change of the mask's pixels: for redraws and autosave triggers. */
  get revision(): number {
    return this.events.revision;
  }

  /** Names the mask's current state in history: equal ids mean byte-identical masks. */
  get stateId(): number {
    return this.history.stateSerial;
  }

  /** Whether the mask differs from the state last marked saved. */
  get isDirty(): boolean {
    return this.stateId !== this.savedState;
  }

  /**
   * Records that the state `stateId` (read when the save began) is on disk, so an edit
   * made while saving still leaves the editor dirty.
   */
  markSaved(stateId = this.stateId): void {
    if (stateId === this.savedState) return;
    this.savedState = stateId;
    this.batch(() => this.noteChange());
  }

  /**
   * Puts new mask bytes in place, as when a mask loads or a proposal is accepted. With
   * `isUndoable` the change is one undo step and the bytes are copied; otherwise `data`
   * is taken over without a copy, history is cleared and the mask counts as saved. The
   * operation in progress is cancelled either way.
   */
  replaceMask(data: Uint8Array, options: { isUndoable?: boolean } = {}): void {
    assert(data.length === this.width * this.height, 'mask length must be width * height');
    this.batch(() => {
      this.tool.cancel();
      if (options.isUndoable) return this.pasteMask(data);
      this.mask.data = data;
      this.history.clear();
      this.savedState = this.history.stateSerial;
      this.noteMaskChange({ x: 0, y: 0, width: this.width, height: this.height });
      this.noteChange();
    });
  }

  // --- Subscriptions ----------------------------------------------------------------------

  /** Calls `listener` with the dirty rectangle after each input that changed pixels. */
  onMaskChange(listener: MaskListener): () => void {
    return this.events.onMaskChange(listener);
  }

  /** Calls `listener` whenever the snapshot changes; fits React's useSyncExternalStore. */
  subscribe(listener: () => void): () => void {
    return this.events.subscribe(listener);
  }

  /** The current state for the UI; the same object until something changes. */
  getSnapshot(): EditorSnapshot {
    if (this.snapshot && this.snapshotVersion === this.events.version) return this.snapshot;
    this.snapshotVersion = this.events.version;
    this.snapshot = {
      tool: this.tool.id,
      label: this.settings.label,
      brushRadius: this.settings.brushRadius,
      wandTolerance: this.settings.wandTolerance,
      polygonCloseDistance: this.settings.polygonCloseDistance,
      hasImage: this.settings.image !== null,
      overlay: this.tool.overlay(),
      canUndo: this.canUndo,
      canRedo: this.canRedo,
      isEditing: this.activeEdit !== null,
      isDirty: this.isDirty,
      revision: this.events.revision,
    };
    return this.snapshot;
  }

  // --- Internals --------------------------------------------------------------------------

  private applyOptions(options: EditorCoreOptions): void {
    if (options.image) this.setImage(options.image);
    if (options.label !== undefined) this.setLabel(options.label);
    if (options.brushRadius !== undefined) this.setBrushRadius(options.brushRadius);
    if (options.wandTolerance !== undefined) this.setWandTolerance(options.wandTolerance);
    if (options.polygonCloseDistance !== undefined) {
      this.setPolygonCloseDistance(options.polygonCloseDistance);
    }
  }

  private updateSetting<K extends keyof ToolSettings>(key: K, value: ToolSettings[K]): void {
    if (this.settings[key] === value) return;
    this.settings[key] = value;
    this.batch(() => this.noteChange());
  }

  private pasteMask(data: Uint8Array): void {
    const edit = this.beginEdit();
    for (let y = 0; y < this.height; y++) {
      edit.writeBytes(y, 0, data.subarray(y * this.width, (y + 1) * this.width));
    }
    this.commitEdit(edit);
  }

  private createContext(): ToolContext {
    return {
      mask: this.mask,
      settings: this.settings,
      beginEdit: () => this.beginEdit(),
      flushEdit: (edit) => this.noteMaskChange(edit.takeDirty()),
      commitEdit: (edit) => this.commitEdit(edit),
      revertEdit: (edit) => {
        this.noteMaskChange(edit.revert());
        if (this.activeEdit === edit) this.activeEdit = null;
        this.noteChange();
      },
      overlayChanged: () => this.noteChange(),
    };
  }

  private beginEdit(): MaskEdit {
    // A tool settles its edit before opening another; should one not, keep its work.
    if (this.activeEdit) this.commitEdit(this.activeEdit);
    this.activeEdit = new MaskEdit(this.mask);
    this.noteChange();
    return this.activeEdit;
  }

  private commitEdit(edit: MaskEdit): void {
    this.noteMaskChange(edit.takeDirty());
    this.history.push(edit.finish());
    if (this.activeEdit === edit) this.activeEdit = null;
    this.noteChange();
  }

  private noteMaskChange(rect: Rect | null): void {
    this.events.maskChanged(rect);
  }

  private noteChange(): void {
    this.events.changed();
  }

  private batch<T>(work: () => T): T {
    return this.events.batch(work);
  }
}
