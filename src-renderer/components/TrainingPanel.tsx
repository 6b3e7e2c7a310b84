import { useState } from 'react';
import type { TrainingStatus } from '../../shared/ipc';
import type { ModelEntry } from '../../shared/project';
import { request } from '../state/client';
import { useProjectStore } from '../state/projectStore';
import { useSessionStore } from '../state/sessionStore';
import { isTrainingActive, useTrainingStore } from '../state/trainingStore';
import { Curve } from './Curve';

const NO_MODELS: readonly ModelEntry[] = [];
const BUDGETS = [
  { label: 'auto', seconds: null },
  { label: '30 s', seconds: 30 },
  { label: '1 min', seconds: 60 },
  { label: '5 min', seconds: 300 },
  { label: '15 min', seconds: 900 },
] as const;

const PHASE_WORDS: Record<TrainingStatus['phase'], string> = {
  preparing: 'Preparing…',
  training: 'Training',
  proposing: 'Proposing labels…',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Fine-tune on the labels, follow it live, and manage the project's models. */
export function TrainingPanel() {
  const status = useTrainingStore((s) => s.status);
  const isStarting = useTrainingStore((s) => s.isStarting);
  const start = useTrainingStore((s) => s.start);
  const cancel = useTrainingStore((s) => s.cancel);
  const hasLabels = useProjectStore((s) => s.images.some((im) => im.status !== 'unlabelled'));
  const isOnCpu = useSessionStore(
    (s) => s.engine.state === 'running' && s.engine.backend.id === 'cpu',
  );
  const [budget, setBudget] = useState(0);
  const isActive = isTrainingActive(status);

  return (
    <aside className="side-panel" aria-label="Model">
      <section className="panel-section">
        <h2 className="panel-title">Fine-tune</h2>
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={isActive || isStarting || !hasLabels}
            onClick={() => void start(BUDGETS[budget]!.seconds)}
            title={hasLabels ? 'Train on the labelled images' : 'Label an image first'}
            data-testid="fine-tune"
          >
            Fine-tune
          </button>
          <label className="muted">
            time{' '}
            <select value={budget} onChange={(e) => setBudget(Number(e.target.value))}>
              {BUDGETS.map((b, i) => (
                <option key={b.label} value={i}>
                  {b.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {isOnCpu && (
          <p className="warning" role="status" data-testid="slow-backend">
            The engine runs on plain JavaScript, hundreds of times slower than WebAssembly: pick
            another backend in the status bar before you fine-tune.
          </p>
        )}
        {status && <Progress status={status} onCancel={() => void cancel()} />}
      </section>
      <ModelList />
    </aside>
  );
}

function Progress({ status, onCancel }: { status: TrainingStatus; onCancel(): void }) {
  const isActive = isTrainingActive(status);
  const total = status.elapsedSeconds + (status.etaSeconds ?? 0);
  const proposed = status.phase === 'proposing' ? status.proposed : null;
  const fraction =
    status.phase === 'done'
      ? 1
      : proposed
        ? proposed.done / Math.max(proposed.total, 1)
        : total > 0
          ? status.elapsedSeconds / total
          : 0;
  return (
    <div className="training" data-testid="training" data-phase={status.phase}>
      <div className="row">
        <strong>{PHASE_WORDS[status.phase]}</strong>
        <span className="muted">
          {status.arch} on {status.backend ?? '…'}
        </span>
      </div>
      <progress value={fraction} max={1} aria-label="Fine-tune progress" />
      <div className="row muted">
        <span>
          {proposed
            ? `${proposed.done} of ${proposed.total} images proposed`
            : `epoch ${status.epoch} · ${status.trainImages} train / ${status.valImages} val`}
        </span>
        <span>
          {isActive && status.etaSeconds !== null ? `${formatSeconds(status.etaSeconds)} left` : ''}
        </span>
      </div>
      {isActive && (
        <button type="button" onClick={onCancel} data-testid="cancel-training">
          Cancel (keeps the best so far)
        </button>
      )}
      {status.message && (
        <p className={status.phase === 'failed' ? 'error-text' : 'muted'} role="status">
          {status.message}
        </p>
      )}
      <Curve points={status.loss} label="training loss" testId="loss-curve" />
      <Curve points={status.valIou} label="validation IoU" yRange={[0, 1]} testId="iou-curve" />
    </div>
  );
}

function ModelList() {
  const models = useProjectStore((s) => s.project?.models ?? NO_MODELS);
  const activeModelId = useProjectStore((s) => s.project?.activeModelId ?? null);
  const applyProject = useProjectStore((s) => s.applyProject);
  const runProposals = useTrainingStore((s) => s.runProposals);
  const isBusy = useTrainingStore((s) => isTrainingActive(s.status));

  async function setActive(id: string) {
    const summary = await request('Choosing the model', (api) => api.models.setActive({ id }));
    if (summary) applyProject(summary);
  }

  async function remove(model: ModelEntry) {
    if (!confirm(`Delete the ${model.arch} model of ${formatDate(model.createdAt)}?`)) return;
    const summary = await request('Deleting the model', (api) =>
      api.models.delete({ id: model.id }),
    );
    if (summary) applyProject(summary);
  }

  return (
    <section className="panel-section" aria-label="Models">
      <h2 className="panel-title">Models</h2>
      {models.length === 0 && <p className="muted">None yet: fine-tune to make one.</p>}
      <ul className="model-list" data-testid="model-list">
        {[...models].reverse().map((model) => (
          <li key={model.id} className="model-row" data-testid="model-row" data-model-id={model.id}>
            <label className="model-pick">
              <input
                type="radio"
                name="active-model"
                checked={model.id === activeModelId}
                onChange={() => void setActive(model.id)}
              />
              <span>
                <strong>{model.arch}</strong> · {formatDate(model.createdAt)}
                <br />
                <span className="muted">
                  {model.trainImages} train / {model.valImages} val · mIoU{' '}
                  {formatScore(model.val?.miou)} · BF1 {formatScore(model.val?.boundaryF1)}
                  <br />
                  {model.backend} · {formatSeconds(model.seconds)} · {model.epochs} epochs
                </span>
              </span>
            </label>
            <button
              type="button"
              className="icon-button"
              aria-label={`Delete model ${model.id}`}
              onClick={() => void remove(model)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {activeModelId && (
        <button
          type="button"
          disabled={isBusy}
          onClick={() => void runProposals()}
          data-testid="propose-all"
        >
          Propose labels for unlabelled images
        </button>
      )}
    </section>
  );
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toFixed(3);
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
