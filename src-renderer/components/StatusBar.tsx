import { useProjectStore } from '../state/projectStore';
import { BackendStatus } from './BackendStatus';
import { useSessionStore } from '../state/sessionStore';

/** Transport, selected image size, compute backend and connection, along the bottom. */
export function StatusBar() {
  const transportKind = useSessionStore((s) => s.transportKind);
  const connection = useSessionStore((s) => s.connection);
  const appVersion = useSessionStore((s) => s.appVersion);
  const image = useProjectStore((s) => s.images.find((im) => im.id === s.selectedImageId));

  return (
    <footer className="status-bar" data-testid="status-bar">
      {connection === 'closed' && (
        <span className="status-disconnected" role="alert">
          disconnected
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </span>
      )}
      {connection === 'connecting' && <span>connecting…</span>}
      <span>transport: {transportKind ?? '…'}</span>
      {image && (
        <span>
          image: {image.width} × {image.height}
          {image.bitDepth === 16 ? ' (16-bit)' : ''}
        </span>
      )}
      <BackendStatus />
      {appVersion && <span className="status-version">v{appVersion}</span>}
    </footer>
  );
}
