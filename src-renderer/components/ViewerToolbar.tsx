import { useViewerStore } from '../state/viewerStore';

/** Overlay on/off and its opacity. */
export function ViewerToolbar() {
  const isOverlayVisible = useViewerStore((s) => s.isOverlayVisible);
  const maskOpacity = useViewerStore((s) => s.maskOpacity);
  const setOverlayVisible = useViewerStore((s) => s.setOverlayVisible);
  const setMaskOpacity = useViewerStore((s) => s.setMaskOpacity);

  return (
    <div className="toolbar">
      <label className="toolbar-item">
        <input
          type="checkbox"
          checked={isOverlayVisible}
          onChange={(e) => setOverlayVisible(e.target.checked)}
          data-testid="overlay-toggle"
        />
        Mask overlay
      </label>
      <label className="toolbar-item">
        Opacity
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(maskOpacity * 100)}
          disabled={!isOverlayVisible}
          onChange={(e) => setMaskOpacity(Number(e.target.value) / 100)}
          data-testid="mask-opacity"
        />
        <span className="toolbar-value">{Math.round(maskOpacity * 100)}%</span>
      </label>
    </div>
  );
}
