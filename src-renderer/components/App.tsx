import { useProjectStore } from '../state/projectStore';
import { EmptyState } from './EmptyState';
import { ErrorBanner } from './ErrorBanner';
import { ClassPalette } from './ClassPalette';
import { Header } from './Header';
import { ImageList } from './ImageList';
import { StatusBar } from './StatusBar';
import { TrainingPanel } from './TrainingPanel';
import { ViewerPane } from './ViewerPane';

/** The window: header, error banner, image list beside the viewer, status bar. */
export function App() {
  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <Workspace />
      <StatusBar />
    </div>
  );
}

function Workspace() {
  const hasProjectLoaded = useProjectStore((s) => s.hasProjectLoaded);
  const hasProject = useProjectStore((s) => s.project !== null);
  const imageCount = useProjectStore((s) => s.images.length);

  if (!hasProjectLoaded) return <EmptyState title="Loading…" />;
  if (!hasProject) {
    return <EmptyState title="No project open" detail="Open or create a project to start." />;
  }
  if (imageCount === 0) {
    return <EmptyState title="No images yet" detail="Add images to this project to label them." />;
  }
  return (
    <div className="workspace">
      <aside className="sidebar">
        <ClassPalette />
        <ImageList />
      </aside>
      <ViewerPane />
      <TrainingPanel />
    </div>
  );
}
