/**
 * Editing one loaded image: an EditorCore over its mask, kept in step with the editor
 * store's settings both ways, and a MaskSaver that autosaves it. When the user moves on,
 * the session flushes; a save that still fails keeps retrying in the background, so a
 * switch of image never drops a stroke.
 */
import { mergeProposal } from '../../shared/proposals';
import { EditorCore } from '../editor/EditorCore';
import type { ImagePixels, Rect } from '../editor/types';
import { getTransport } from './client';
import { useEditorStore, type EditorState } from './editorStore';
import type { LoadedImage } from './loadImage';
import { MaskSaver, type MaskSnapshot } from './MaskSaver';
import { useProjectStore } from './projectStore';
import { useSessionStore } from './sessionStore';

/** Savers of images the user has left whose last save has not landed yet. */
const leftBehind = new Set<MaskSaver>();

export class EditingSession {
  readonly core: EditorCore;
  private readonly saver: MaskSaver;
  private readonly unsubscribes: (() => void)[] = [];
  private wandPixels: Promise<void> | null = null;

  constructor(
    private readonly loaded: LoadedImage,
    onMaskChange: (rect: Rect) => void,
  ) {
    const editor = useEditorStore.getState();
    this.core = new EditorCore({
      width: loaded.width,
      height: loaded.height,
      mask: loaded.mask.data,
      tool: editor.tool,
      label: editor.label,
      brushRadius: editor.brushRadius,
      wandTolerance: editor.wandTolerance,
      classIdForDigit: (digit) => classIdForDigit(digit),
    });
    this.saver = new MaskSaver({
      save: saveMask,
      onState: (state) => useEditorStore.getState().setSave(state),
    });
    this.saver.attach(() => this.snapshot());
    editor.setSave(this.saver.currentState);
    editor.setHistory(false, false);
    editor.setMaskLocked(loaded.mask.problem !== undefined);

    this.unsubscribes.push(
      this.core.onMaskChange((rect) => {
        this.saver.markEdited();
        onMaskChange(rect);
      }),
      this.core.subscribe(() => this.pushToStore()),
      useEditorStore.subscribe((state) => this.pullFromStore(state)),
    );
    this.pullFromStore(useEditorStore.getState());
  }

  get imageId(): string {
    return this.loaded.id;
  }

  /** Whether input may edit the mask: not while an unreadable mask waits for a decision. */
  get isEditable(): boolean {
    return !useEditorStore.getState().isMaskLocked;
  }

  flush(): Promise<boolean> {
    return this.saver.flush();
  }

  /** Reads the mask back from main (after main rewrote it), dropping the history. */
  async reloadMask(): Promise<void> {
    await this.saver.flush();
    const result = await getTransport().api.mask.get({ id: this.loaded.id });
    if (!result.ok) {
      useSessionStore.getState().reportError(`Reloading the mask: ${result.error.message}`);
      return;
    }
    this.loaded.mask.data.set(result.value.data);
    this.core.replaceMask(this.loaded.mask.data);
    this.saver.attach(() => this.snapshot());
  }

  /** Accepts the proposal (one class, or all) where the mask is not labelled. */
  acceptProposal(proposal: Uint8Array, classId?: number): number {
    const merged = mergeProposal(this.core.getMask(), proposal, { classId });
    if (merged.accepted > 0) this.core.replaceMask(merged.mask, { isUndoable: true });
    return merged.accepted;
  }

  /** Ends the session: saves what is pending, and keeps retrying if that save fails. */
  close(): void {
    this.unsubscribes.forEach((unsubscribe) => unsubscribe());
    const saver = this.saver;
    leftBehind.add(saver);
    void saver.flush().then((isClean) => {
      if (!isClean) {
        const state = saver.currentState;
        const why = state.kind === 'failed' ? state.reason : 'it is still being written';
        useSessionStore
          .getState()
          .reportError(`The labels of ${this.loaded.id} are not saved yet (${why}); retrying.`);
      }
      watchUntilSaved(saver);
    });
  }

  private snapshot(): MaskSnapshot {
    const { id, width, height } = this.loaded;
    return { id, width, height, data: this.core.getMask() };
  }

  /** Settings the core changed itself (keys) go to the store, for the panels. */
  private pushToStore(): void {
    const core = this.core.getSnapshot();
    const editor = useEditorStore.getState();
    if (core.tool !== editor.tool) editor.setTool(core.tool);
    if (core.label !== editor.label) editor.setLabel(core.label);
    if (core.brushRadius !== editor.brushRadius) editor.setBrushRadius(core.brushRadius);
    if (core.wandTolerance !== editor.wandTolerance) editor.setWandTolerance(core.wandTolerance);
    if (core.canUndo !== editor.canUndo || core.canRedo !== editor.canRedo) {
      editor.setHistory(core.canUndo, core.canRedo);
    }
  }

  /** Settings changed in the panels go to the core. */
  private pullFromStore(state: EditorState): void {
    this.core.setTool(state.tool);
    this.core.setLabel(state.label);
    this.core.setBrushRadius(state.brushRadius);
    this.core.setWandTolerance(state.wandTolerance);
    if (state.tool === 'wand' && !this.wandPixels) this.wandPixels = this.loadWandPixels();
  }

  /** The wand reads image pixels: decoded from the bitmap the first time it is chosen. */
  private async loadWandPixels(): Promise<void> {
    const { bitmap, width, height } = this.loaded;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.drawImage(bitmap, 0, 0);
    const pixels: ImagePixels = { data: ctx.getImageData(0, 0, width, height).data, channels: 4 };
    this.core.setImage(pixels);
  }
}

/** Keeps a left-behind saver until its mask is on disk. */
function watchUntilSaved(saver: MaskSaver): void {
  if (!saver.isDirty) {
    saver.dispose();
    leftBehind.delete(saver);
    return;
  }
  setTimeout(() => watchUntilSaved(saver), 2000);
}

/** Whether any image, open or left behind, has labels not yet on disk. */
export function hasUnsavedLabels(current: EditingSession | null): boolean {
  const isCurrentDirty = current !== null && useEditorStore.getState().save.kind !== 'saved';
  return isCurrentDirty || [...leftBehind].some((saver) => saver.isDirty);
}

async function saveMask(snapshot: MaskSnapshot): Promise<string | null> {
  // MaskSaver sends a fresh copy (slice), so the bytes sit in a plain ArrayBuffer.
  const data = snapshot.data as Uint8Array<ArrayBuffer>;
  const result = await getTransport().api.mask.save({ ...snapshot, data });
  return result.ok ? null : result.error.message;
}

function classIdForDigit(digit: number): number | null {
  const classes = useProjectStore.getState().project?.classes ?? [];
  return classes[digit - 1]?.id ?? null;
}
