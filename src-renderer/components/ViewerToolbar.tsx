import type { ToolId } from '../editor/types';
import { MAX_BRUSH_RADIUS, MIN_BRUSH_RADIUS } from '../editor/settings';
import { getActiveEditing } from '../state/activeEditing';
import { useEditorStore } from '../state/editorStore';
import { useViewerStore } from '../state/viewerStore';
import { SaveIndicator } from './SaveIndicator';

const TOOLS: readonly { id: ToolId; name: string; key: string }[] = [
  { id: 'brush', name: 'Brush', key: 'B' },
  { id: 'eraser', name: 'Eraser', key: 'E' },
  { id: 'polygon', name: 'Polygon', key: 'P' },
  { id: 'fill', name: 'Fill', key: 'F' },
  { id: 'wand', name: 'Wand', key: 'W' },
  { id: 'accept', name: 'Accept', key: 'G' },
];

/** Tools and their settings, undo/redo, how the mask is shown, and the save state. */
export function ViewerToolbar() {
  const editor = useEditorStore();
  const viewer = useViewerStore();
  const isBrushLike = ['brush', 'eraser', 'accept'].includes(editor.tool);

  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <div className="tool-group" role="radiogroup" aria-label="Tool">
        {TOOLS.map((tool) => (
          <button
            key={tool.id}
            type="button"
            role="radio"
            aria-checked={editor.tool === tool.id}
            className="tool-button"
            title={`${tool.name} (${tool.key})`}
            data-testid={`tool-${tool.id}`}
            onClick={() => editor.setTool(tool.id)}
          >
            {tool.name}
          </button>
        ))}
      </div>
      {/* Both sliders stay in place, disabled when unused: the canvas must not jump. */}
      <label className="toolbar-item">
        Size
        <input
          type="range"
          min={MIN_BRUSH_RADIUS}
          max={128}
          value={Math.min(128, editor.brushRadius)}
          disabled={!isBrushLike}
          onChange={(e) => editor.setBrushRadius(Number(e.target.value))}
          data-testid="brush-size"
        />
        <span className="toolbar-value" title={`up to ${MAX_BRUSH_RADIUS} with ]`}>
          {editor.brushRadius}px
        </span>
      </label>
      <label className="toolbar-item">
        Tolerance
        <input
          type="range"
          min={0}
          max={255}
          value={editor.wandTolerance}
          disabled={editor.tool !== 'wand'}
          onChange={(e) => editor.setWandTolerance(Number(e.target.value))}
        />
        <span className="toolbar-value">{editor.wandTolerance}</span>
      </label>
      <div className="tool-group">
        <button
          type="button"
          disabled={!editor.canUndo}
          onClick={() => getActiveEditing()?.undo()}
          title="Undo (Ctrl+Z)"
          data-testid="undo"
        >
          Undo
        </button>
        <button
          type="button"
          disabled={!editor.canRedo}
          onClick={() => getActiveEditing()?.redo()}
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
      </div>
      <label className="toolbar-item">
        <input
          type="checkbox"
          checked={viewer.isOverlayVisible}
          onChange={(e) => viewer.setOverlayVisible(e.target.checked)}
          data-testid="overlay-toggle"
        />
        Mask (M)
      </label>
      <label className="toolbar-item">
        <input
          type="checkbox"
          checked={viewer.isOutlineOnly}
          onChange={(e) => viewer.setOutlineOnly(e.target.checked)}
        />
        Outline
      </label>
      <label className="toolbar-item">
        Opacity
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(viewer.maskOpacity * 100)}
          disabled={!viewer.isOverlayVisible || viewer.isOutlineOnly}
          onChange={(e) => viewer.setMaskOpacity(Number(e.target.value) / 100)}
          data-testid="mask-opacity"
        />
        <span className="toolbar-value">{Math.round(viewer.maskOpacity * 100)}%</span>
      </label>
      <div className="toolbar-end">
        <SaveIndicator />
        <button
          type="button"
          className="help-button"
          onClick={() => editor.setHelpOpen(!editor.isHelpOpen)}
          title="Keyboard shortcuts (?)"
          aria-label="Keyboard shortcuts"
        >
          ?
        </button>
      </div>
    </div>
  );
}
