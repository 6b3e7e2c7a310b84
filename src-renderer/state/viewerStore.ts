import { create } from 'zustand';

/** How the viewer draws the mask; UI preferences, not part of the project. */
export interface ViewerState {
  isOverlayVisible: boolean;
  /** Opacity of the mask overlay, 0..1. */
  maskOpacity: number;
  /** Colour only the boundary of each class, so the image shows through. */
  isOutlineOnly: boolean;
  setOverlayVisible(isVisible: boolean): void;
  toggleOverlay(): void;
  setMaskOpacity(opacity: number): void;
  setOutlineOnly(isOutlineOnly: boolean): void;
}

export const useViewerStore = create<ViewerState>()((set) => ({
  isOverlayVisible: true,
  maskOpacity: 0.5,
  isOutlineOnly: false,
  setOverlayVisible: (isOverlayVisible) => set({ isOverlayVisible }),
  toggleOverlay: () => set((s) => ({ isOverlayVisible: !s.isOverlayVisible })),
  setMaskOpacity: (opacity) => set({ maskOpacity: Math.min(1, Math.max(0, opacity)) }),
  setOutlineOnly: (isOutlineOnly) => set({ isOutlineOnly }),
}));
