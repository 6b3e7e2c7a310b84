/**
 * The editing session around the canvas: which tool and label paint, the brush size, the
 * wand tolerance, whether undo/redo are possible, the save state and the list filter.
 * The canvas core reads these through subscriptions; nothing here is saved to the project.
 */
import { create } from 'zustand';
import type { LabelStatus } from '../../shared/project';
import { clampBrushRadius, clampTolerance } from '../editor/settings';
import type { ToolId } from '../editor/types';
import type { SaveState } from './MaskSaver';

/** Which images the list shows. */
export type StatusFilter = 'all' | LabelStatus | 'proposal';

/** The list's order: as imported, or the review queue (least confident proposal first). */
export type ListOrder = 'project' | 'confidence';

export interface EditorState {
  tool: ToolId;
  /** The value the brush, polygon and fills write: a class id, or 0 for background. */
  label: number;
  /** Brush and eraser radius in image pixels. */
  brushRadius: number;
  /** Magic wand: largest intensity difference (0..255) to the clicked pixel still taken. */
  wandTolerance: number;
  canUndo: boolean;
  canRedo: boolean;
  save: SaveState;
  /** The open image's mask could not be read; editing waits until the user starts anew. */
  isMaskLocked: boolean;
  isHelpOpen: boolean;
  statusFilter: StatusFilter;
  listOrder: ListOrder;
  setTool(tool: ToolId): void;
  setLabel(label: number): void;
  setBrushRadius(radius: number): void;
  setWandTolerance(tolerance: number): void;
  setHistory(canUndo: boolean, canRedo: boolean): void;
  setSave(save: SaveState): void;
  setMaskLocked(isLocked: boolean): void;
  setHelpOpen(isOpen: boolean): void;
  setStatusFilter(filter: StatusFilter): void;
  setListOrder(order: ListOrder): void;
}

export const useEditorStore = create<EditorState>()((set) => ({
  tool: 'brush',
  label: 1,
  brushRadius: 8,
  wandTolerance: 16,
  canUndo: false,
  canRedo: false,
  save: { kind: 'saved' },
  isMaskLocked: false,
  isHelpOpen: false,
  statusFilter: 'all',
  listOrder: 'project',
  setTool: (tool) => set({ tool }),
  setLabel: (label) => set({ label }),
  setBrushRadius: (radius) => set({ brushRadius: clampBrushRadius(radius) }),
  setWandTolerance: (tolerance) => set({ wandTolerance: clampTolerance(tolerance) }),
  setHistory: (canUndo, canRedo) => set({ canUndo, canRedo }),
  setSave: (save) => set({ save }),
  setMaskLocked: (isMaskLocked) => set({ isMaskLocked }),
  setHelpOpen: (isHelpOpen) => set({ isHelpOpen }),
  setStatusFilter: (statusFilter) => set({ statusFilter }),
  setListOrder: (listOrder) => set({ listOrder }),
}));
