import { useEffect, useRef } from 'react';
import type { ClassDef } from '../../shared/project';
import type { Scene } from '../editor/viewport';
import { Viewport } from '../editor/viewport';
import type { ProjectState } from '../state/projectStore';
import { useProjectStore } from '../state/projectStore';
import { useViewerStore } from '../state/viewerStore';

const NO_CLASSES: readonly ClassDef[] = [];

/**
 * The canvas. It subscribes to the stores itself and hands changes to a Viewport, so
 * drawing never waits on a React render.
 */
export function Viewer() {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const stage = canvas?.parentElement;
    if (!canvas || !stage) return;
    const viewport = new Viewport(canvas);

    const fit = () => viewport.resize(stage.clientWidth, stage.clientHeight, devicePixelRatio);
    const showScene = () => viewport.setScene(sceneOf(useProjectStore.getState()));
    const showOverlay = () => viewport.setOverlay(useViewerStore.getState());
    fit();
    showOverlay();
    showScene();

    const observer = new ResizeObserver(fit);
    observer.observe(stage);
    const unsubscribes = [
      useProjectStore.subscribe(showScene),
      useViewerStore.subscribe(showOverlay),
    ];
    return () => {
      observer.disconnect();
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      viewport.dispose();
    };
  }, []);

  return <canvas ref={canvasRef} className="viewer-canvas" data-testid="viewer" />;
}

/** The selected image once loaded, with the classes that colour its mask. */
function sceneOf(state: ProjectState): Scene | null {
  const { loaded } = state;
  if (!loaded || loaded.id !== state.selectedImageId) return null;
  const classes = state.project?.classes ?? NO_CLASSES;
  return { id: loaded.id, bitmap: loaded.bitmap, mask: loaded.mask, classes };
}
