import { create } from 'zustand';

/** How the viewer draws the mask; UI preferences, not part of the project. */
export interface ViewerState {
  isOverlayVisible: boolean;
  /** Opacity of the mask overlay, 0..1. */
  maskOpacity: number;
  setOverlayVisible(isVisible: boolean): void;
  setMaskOpacity(opacity: number): void;
}

export const useViewerStore = create<ViewerState>()((set) => ({
  isOverlayVisible: true,
  maskOpacity: 0.5,
  setOverlayVisible: (isOverlayVisible) => set({ isOverlayVisible }),
  setMaskOpacity: (opacity) => set({ maskOpacity: Math.min(1, Math.max(0, opacity)) }),
}));
