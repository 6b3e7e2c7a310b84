import { useEditorStore } from '../state/editorStore';
import { useProjectStore } from '../state/projectStore';
import { HelpOverlay } from './HelpOverlay';
import { ProposalBar } from './ProposalBar';
import { Viewer } from './Viewer';
import { ViewerToolbar } from './ViewerToolbar';

/** The main area: the toolbar, a notice about the mask when there is one, and the canvas. */
export function ViewerPane() {
  const selectedImageId = useProjectStore((s) => s.selectedImageId);
  const isLoadingImage = useProjectStore((s) => s.isLoadingImage);
  const mask = useProjectStore((s) => s.loaded?.mask);
  const hasEdits = useEditorStore((s) => s.canUndo || s.save.kind !== 'saved');

  let hint: string | null = null;
  if (selectedImageId === null) hint = 'Select an image to view it.';
  else if (isLoadingImage) hint = 'Loading…';

  return (
    <main className="viewer-pane">
      <ViewerToolbar />
      <ProposalBar />
      {mask?.problem !== undefined ? <MaskProblem problem={mask.problem} /> : null}
      <div className="viewer-stage">
        <Viewer />
        {/* Over the canvas, not above it: a notice that comes and goes must not resize the
            view in the middle of a stroke. */}
        {mask && !mask.exists && !hasEdits && (
          <div className="notice" role="status" data-testid="mask-missing">
            No labels yet: painting starts this image’s mask.
          </div>
        )}
        {hint && <p className="viewer-hint">{hint}</p>}
      </div>
      <HelpOverlay />
    </main>
  );
}

/** An unreadable mask: say so, and edit only once the user chooses to start anew. */
function MaskProblem({ problem }: { problem: string }) {
  const isLocked = useEditorStore((s) => s.isMaskLocked);
  const setMaskLocked = useEditorStore((s) => s.setMaskLocked);
  return (
    <div className="warning" role="status" data-testid="mask-problem">
      The mask could not be read, so it is shown as not labelled: {problem}.{' '}
      {isLocked ? (
        <button type="button" onClick={() => setMaskLocked(false)} data-testid="start-empty-mask">
          Start an empty mask
        </button>
      ) : (
        'The file is replaced when you paint.'
      )}
    </div>
  );
}
