import { useEffect, useRef, useState } from 'react';
import { BACKEND_IDS, parseBackendId } from '../../shared/engineProtocol';
import { exhaustiveSwitchError } from '../../shared/errors';
import type { EngineState } from '../../shared/ipc';
import { request } from '../state/client';
import { useSessionStore } from '../state/sessionStore';
import { useTrainingStore, isTrainingActive } from '../state/trainingStore';

/** Restarts main's engine on `choice` ('auto': the fastest that works). */
async function chooseBackend(choice: string): Promise<void> {
  const backend = parseBackendId(choice);
  const state = await request('Changing the compute backend', (api) =>
    api.engine.setBackend({ backend }),
  );
  if (state) useSessionStore.getState().setEngine(state);
}

/** The status bar's one-word summary of the engine. */
function summary(engine: EngineState): string {
  switch (engine.state) {
    case 'starting':
      return 'backend: starting…';
    case 'running':
      return `backend: ${engine.backend.id}`;
    case 'failed':
      return 'backend: failed';
    case 'stopped':
      return 'backend: stopped';
    default:
      return exhaustiveSwitchError(engine);
  }
}

/**
 * The compute backend in the status bar; a click opens what `skipseg doctor` would say:
 * the backend running and its detail, why each faster one is not used, and a choice of
 * backend (a software WebGPU adapter, say, runs only when chosen).
 */
export function BackendStatus() {
  const engine = useSessionStore((s) => s.engine);
  const isTraining = useTrainingStore((s) => isTrainingActive(s.status));
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
      if (e instanceof PointerEvent && root.current?.contains(e.target as Node)) return;
      setOpen(false);
    };
    window.addEventListener('pointerdown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <span className="backend-status" ref={root}>
      <button
        type="button"
        className={
          engine.state === 'failed' || engine.state === 'stopped' ? 'backend-failed' : undefined
        }
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {summary(engine)}
      </button>
      {open && (
        <div
          className="backend-panel"
          role="dialog"
          aria-label="Compute backend"
          data-testid="backend-panel"
        >
          <label className="row">
            Compute with{' '}
            <select
              value={engine.wanted ?? 'auto'}
              disabled={isTraining || engine.state === 'starting'}
              title={isTraining ? 'Change it when the fine-tune has finished' : undefined}
              onChange={(e) => void chooseBackend(e.target.value)}
              data-testid="backend-choice"
            >
              <option value="auto">the fastest that works</option>
              {BACKEND_IDS.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          {engine.state === 'starting' && <p>The engine is starting.</p>}
          {engine.state === 'failed' && <p>The engine did not start: {engine.why}</p>}
          {engine.state === 'stopped' && <p>The engine stopped: {engine.why}</p>}
          {engine.state === 'running' && (
            <>
              <p>
                Computing with <strong>{engine.backend.label}</strong> ({engine.backend.detail}).
              </p>
              {engine.backend.skipped.length > 0 && (
                <>
                  <p>Faster backends not used:</p>
                  <ul>
                    {engine.backend.skipped.map((s) => (
                      <li key={s.id} data-backend={s.id}>
                        <strong>{s.id}</strong>: {s.why}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </div>
      )}
    </span>
  );
}
