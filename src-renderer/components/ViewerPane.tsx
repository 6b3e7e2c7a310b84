import { useProjectStore } from '../state/projectStore';
import { Viewer } from './Viewer';
import { ViewerToolbar } from './ViewerToolbar';

/** The main area: overlay controls, a mask warning when there is one, and the canvas. */
export function ViewerPane() {
  const selectedImageId = useProjectStore((s) => s.selectedImageId);
  const isLoadingImage = useProjectStore((s) => s.isLoadingImage);
  const maskProblem = useProjectStore((s) => s.loaded?.mask.problem);

  let hint: string | null = null;
  if (selectedImageId === null) hint = 'Select an image to view it.';
  else if (isLoadingImage) hint = 'Loading…';

  return (
    <main className="viewer-pane">
      <ViewerToolbar />
      {maskProblem && (
        <div className="warning" role="status" data-testid="mask-problem">
          The mask could not be read, so it is shown as not labelled: {maskProblem}
        </div>
      )}
      <div className="viewer-stage">
        <Viewer />
        {hint && <p className="viewer-hint">{hint}</p>}
      </div>
    </main>
  );
}
