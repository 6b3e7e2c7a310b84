import { useEffect, useRef } from 'react';
import type { ClassDef } from '../../shared/project';
import { exhaustiveSwitchError } from '../../shared/errors';
import type { AppCommand } from '../editor/appShortcuts';
import { findAppCommand } from '../editor/appShortcuts';
import { CanvasInput, isTextInput } from '../editor/CanvasInput';
import type { Scene } from '../editor/viewport';
import { Viewport } from '../editor/viewport';
import { setActiveEditing } from '../state/activeEditing';
import { EditingSession, hasUnsavedLabels } from '../state/EditingSession';
import { useEditorStore } from '../state/editorStore';
import { prefetch } from '../state/imageCache';
import { neighbourId, shownImages } from '../state/navigation';
import type { ProjectState } from '../state/projectStore';
import { useProjectStore } from '../state/projectStore';
import { useViewerStore } from '../state/viewerStore';

const NO_CLASSES: readonly ClassDef[] = [];
const ZOOM_STEP = 1.25;

/**
 * The editor canvas. It subscribes to the stores itself and drives a Viewport, an
 * EditingSession and the input handlers directly, so painting never waits on React.
 */
export function Viewer() {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const stage = canvas?.parentElement;
    if (!canvas || !stage) return;
    const viewport = new Viewport(canvas);
    let session: EditingSession | null = null;
    const input = new CanvasInput({
      canvas,
      viewport,
      getCore: () => (session?.isEditable ? session.core : null),
    });

    const fit = () => viewport.resize(stage.clientWidth, stage.clientHeight, devicePixelRatio);
    const showOverlay = () => viewport.setOverlay(useViewerStore.getState());

    function showScene() {
      const scene = sceneOf(useProjectStore.getState());
      if (session && session.imageId !== scene?.id) {
        session.close();
        session = null;
        setActiveEditing(null);
      }
      viewport.setScene(scene);
      if (scene && session) showProposal(scene.id);
      if (!scene || session) return;
      const loaded = useProjectStore.getState().loaded!;
      const current = new EditingSession(loaded, (rect) => viewport.invalidateMask(rect));
      current.core.subscribe(() => viewport.setToolOverlay(current.core.getSnapshot().overlay));
      session = current;
      input.updateCloseDistance();
      showProposal(scene.id);
      setActiveEditing({
        imageId: scene.id,
        flush: () => current.flush(),
        reloadMask: () => current.reloadMask(),
        undo: () => current.core.undo(),
        redo: () => current.core.redo(),
        acceptProposal: (classId) => {
          const proposal = proposalFor(scene.id);
          return proposal ? current.acceptProposal(proposal, classId) : 0;
        },
      });
      prefetch(neighbours(scene.id));
    }

    function showProposal(id: string) {
      const proposal = proposalFor(id);
      viewport.setProposal(proposal);
      session?.core.setProposal(proposal);
    }

    function runAppCommand(command: AppCommand) {
      const viewer = useViewerStore.getState();
      switch (command) {
        case 'zoomIn':
          return viewport.zoom(ZOOM_STEP);
        case 'zoomOut':
          return viewport.zoom(1 / ZOOM_STEP);
        case 'fit':
          return viewport.fit();
        case 'toggleMask':
          return viewer.toggleOverlay();
        case 'toggleOutline':
          return viewer.setOutlineOnly(!viewer.isOutlineOnly);
        case 'nextImage':
        case 'previousImage': {
          const step = command === 'nextImage' ? 1 : -1;
          const [previous, next] = neighbours(useProjectStore.getState().selectedImageId);
          const target = step > 0 ? next : previous;
          if (target) void useProjectStore.getState().selectImage(target);
          return;
        }
        case 'help': {
          const editor = useEditorStore.getState();
          return editor.setHelpOpen(!editor.isHelpOpen);
        }
        default:
          return exhaustiveSwitchError(command);
      }
    }

    function onKeyDown(e: KeyboardEvent) {
      if (isTextInput(e.target) || e.defaultPrevented) return;
      if (e.key === 'Escape' && useEditorStore.getState().isHelpOpen) {
        useEditorStore.getState().setHelpOpen(false);
        return;
      }
      const command = findAppCommand(e.key, e);
      if (command) {
        e.preventDefault();
        runAppCommand(command);
        return;
      }
      // Keys reach the core even on a locked mask: they pick tools and classes, and the
      // ones that edit have nothing to act on while pointer input is held back.
      if (session?.core.keyDown(e.key, e)) e.preventDefault();
    }

    function onBeforeUnload(e: BeforeUnloadEvent) {
      // flush() sends the save before it first waits, so the request leaves with us.
      void session?.flush();
      // The browser then asks "leave the page?"; the Electron shell waits briefly instead.
      if (hasUnsavedLabels(session)) e.preventDefault();
    }

    // Sent by the Electron shell when the window is about to close; `detail` is called
    // once the labels are saved (or the save failed), and the window closes then.
    const onFlushRequest = (e: Event) => {
      const done = (e as CustomEvent<() => void>).detail;
      void (session?.flush() ?? Promise.resolve(true)).finally(() => done?.());
    };

    fit();
    showOverlay();
    showScene();
    const observer = new ResizeObserver(fit);
    observer.observe(stage);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('skipseg:flush', onFlushRequest);
    const unsubscribes = [
      useProjectStore.subscribe(showScene),
      useViewerStore.subscribe(showOverlay),
    ];
    return () => {
      observer.disconnect();
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('skipseg:flush', onFlushRequest);
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      input.dispose();
      session?.close();
      setActiveEditing(null);
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

/** The selected image's proposal as mask-sized class ids, if it is for `id`. */
function proposalFor(id: string): Uint8Array | null {
  const { proposal, loaded } = useProjectStore.getState();
  if (!proposal || proposal.id !== id || !loaded) return null;
  return proposal.data.length === loaded.width * loaded.height ? proposal.data : null;
}

/** The images before and after `id` in the list as filtered now. */
function neighbours(id: string | null): [string | null, string | null] {
  const { statusFilter, listOrder } = useEditorStore.getState();
  const shown = shownImages(useProjectStore.getState().images, statusFilter, listOrder);
  return [neighbourId(shown, id, -1), neighbourId(shown, id, 1)];
}
