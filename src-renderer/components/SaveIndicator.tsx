import { useEditorStore } from '../state/editorStore';

/** Whether the open image's labels are on disk: saved, unsaved, saving, or failed and why. */
export function SaveIndicator() {
  const save = useEditorStore((s) => s.save);
  const text =
    save.kind === 'failed'
      ? `not saved: ${save.reason} (retrying)`
      : save.kind === 'unsaved'
        ? 'unsaved changes'
        : save.kind === 'saving'
          ? 'saving…'
          : 'saved';
  return (
    <span
      className={`save-state save-${save.kind}`}
      role={save.kind === 'failed' ? 'alert' : 'status'}
      data-testid="save-state"
      data-state={save.kind}
    >
      {text}
    </span>
  );
}
