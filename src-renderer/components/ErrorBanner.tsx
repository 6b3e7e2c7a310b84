import { useSessionStore } from '../state/sessionStore';

/** Failed requests, newest last, each dismissable. */
export function ErrorBanner() {
  const errors = useSessionStore((s) => s.errors);
  const dismissError = useSessionStore((s) => s.dismissError);
  if (errors.length === 0) return null;

  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {errors.map((e) => (
        <div key={e.id} className="error-row">
          <span>{e.message}</span>
          <button type="button" onClick={() => dismissError(e.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
