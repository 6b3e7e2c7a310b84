import { APP_SHORTCUTS, POINTER_GESTURES } from '../editor/appShortcuts';
import type { KeyChord } from '../editor/shortcuts';
import { SHORTCUTS, formatChord } from '../editor/shortcuts';
import { useEditorStore } from '../state/editorStore';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** Every shortcut, from the same tables the key handlers use; `?` or Esc closes it. */
export function HelpOverlay() {
  const isOpen = useEditorStore((s) => s.isHelpOpen);
  const setHelpOpen = useEditorStore((s) => s.setHelpOpen);
  if (!isOpen) return null;

  const rows = [
    ...SHORTCUTS.map((s) => ({ keys: chords(s.chords), description: s.description })),
    ...APP_SHORTCUTS.map((s) => ({ keys: chords(s.chords), description: s.description })),
    ...POINTER_GESTURES.map((g) => ({ keys: g.gesture, description: g.description })),
  ];
  return (
    <div className="help-backdrop" onClick={() => setHelpOpen(false)}>
      <div
        className="help"
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="help-overlay"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 className="panel-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {rows.map((row) => (
              <tr key={row.description}>
                <td>
                  <kbd>{row.keys}</kbd>
                </td>
                <td>{row.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}

function chords(list: readonly KeyChord[]): string {
  // Nine digit chords read better as a range.
  if (list.length > 3) return `${formatChord(list[0]!, isMac)}–${formatChord(list.at(-1)!, isMac)}`;
  return list.map((c) => formatChord(c, isMac)).join(' / ');
}
