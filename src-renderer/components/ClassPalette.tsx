import { useState } from 'react';
import { NOT_LABELLED, type ClassDef } from '../../shared/project';
import { getActiveEditing } from '../state/activeEditing';
import { addClass, classUsage, deleteClass, updateClass } from '../state/classActions';
import { useEditorStore } from '../state/editorStore';
import { useProjectStore } from '../state/projectStore';

const NO_CLASSES: readonly ClassDef[] = [];

/**
 * The classes: pick what the tools paint (keys 1–9, ` for background), add, rename,
 * recolour and delete. Deleting a class that masks use asks what its pixels become.
 */
export function ClassPalette() {
  const classes = useProjectStore((s) => s.project?.classes ?? NO_CLASSES);
  const label = useEditorStore((s) => s.label);
  const setLabel = useEditorStore((s) => s.setLabel);
  const [pending, setPending] = useState<{ cls: ClassDef; imageCount: number } | null>(null);

  async function requestDelete(cls: ClassDef) {
    const editing = getActiveEditing();
    if (editing && !(await editing.flush())) return;
    const usage = await classUsage(cls.id);
    if (usage === null) return;
    if (usage.length === 0) await finishDelete(cls, NOT_LABELLED);
    else setPending({ cls, imageCount: usage.length });
  }

  async function finishDelete(cls: ClassDef, replaceWith: number) {
    setPending(null);
    const changed = await deleteClass(cls.id, replaceWith);
    const editing = getActiveEditing();
    if (changed && editing && changed.includes(editing.imageId)) await editing.reloadMask();
  }

  return (
    <section className="palette" aria-label="Classes" data-testid="class-palette">
      <h2 className="panel-title">Classes</h2>
      <ul className="palette-list">
        <li>
          <PaletteEntry
            label="background"
            keyHint="`"
            color={null}
            isCurrent={label === 0}
            onPick={() => setLabel(0)}
          />
        </li>
        {classes.map((cls, i) => (
          <li key={cls.id} className="palette-row">
            <PaletteEntry
              label={cls.name}
              keyHint={i < 9 ? String(i + 1) : ''}
              color={cls.color}
              isCurrent={label === cls.id}
              onPick={() => setLabel(cls.id)}
              onRename={(name) => void updateClass(cls.id, { name })}
              onRecolour={(color) => void updateClass(cls.id, { color })}
            />
            <button
              type="button"
              className="icon-button"
              title={`Delete ${cls.name}`}
              aria-label={`Delete ${cls.name}`}
              onClick={() => void requestDelete(cls)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="text-button"
        onClick={() => void addClass()}
        data-testid="add-class"
      >
        + Add class
      </button>
      {pending && (
        <DeleteDialog
          cls={pending.cls}
          imageCount={pending.imageCount}
          others={classes.filter((c) => c.id !== pending.cls.id)}
          onChoose={(replaceWith) => void finishDelete(pending.cls, replaceWith)}
          onCancel={() => setPending(null)}
        />
      )}
    </section>
  );
}

interface PaletteEntryProps {
  label: string;
  keyHint: string;
  /** null for background, drawn as a hatched swatch. */
  color: string | null;
  isCurrent: boolean;
  onPick(): void;
  onRename?(name: string): void;
  onRecolour?(color: string): void;
}

function PaletteEntry(props: PaletteEntryProps) {
  const { label, keyHint, color, isCurrent, onPick, onRename, onRecolour } = props;
  const [draft, setDraft] = useState<string | null>(null);

  function commit() {
    const name = draft?.trim();
    setDraft(null);
    if (name && name !== label) onRename?.(name);
  }

  return (
    <div className="palette-entry" aria-current={isCurrent ? 'true' : undefined}>
      {color && onRecolour ? (
        <input
          type="color"
          className="palette-colour"
          value={color}
          aria-label={`Colour of ${label}`}
          onChange={(e) => onRecolour(e.target.value)}
        />
      ) : (
        <span className="class-swatch swatch-background" aria-hidden />
      )}
      {draft !== null ? (
        <input
          className="palette-name-input"
          value={draft}
          autoFocus
          maxLength={64}
          aria-label={`New name for ${label}`}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(null);
          }}
        />
      ) : (
        <button
          type="button"
          className="palette-pick"
          data-testid="class-pick"
          onClick={onPick}
          onDoubleClick={() => onRename && setDraft(label)}
          title={onRename ? 'Click to paint with it, double-click to rename' : undefined}
        >
          <span className="palette-name">{label}</span>
          {keyHint && <kbd>{keyHint}</kbd>}
        </button>
      )}
    </div>
  );
}

interface DeleteDialogProps {
  cls: ClassDef;
  imageCount: number;
  others: readonly ClassDef[];
  onChoose(replaceWith: number): void;
  onCancel(): void;
}

function DeleteDialog({ cls, imageCount, others, onChoose, onCancel }: DeleteDialogProps) {
  const [target, setTarget] = useState(String(NOT_LABELLED));
  const images = imageCount === 1 ? '1 image uses' : `${imageCount} images use`;
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-label={`Delete ${cls.name}`}>
      <p>
        {images} “{cls.name}”. What should its pixels become?
      </p>
      <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Replace with">
        <option value={NOT_LABELLED}>not labelled</option>
        <option value={0}>background</option>
        {others.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => onChoose(Number(target))}>
          Delete class
        </button>
      </div>
    </div>
  );
}
