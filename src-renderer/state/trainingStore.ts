/**
 * The fine-tune as the renderer follows it: main pushes `training:progress` events; the
 * store keeps the latest status and offers start and cancel. Training runs in the engine
 * process, so the editor stays usable meanwhile.
 */
import { create } from 'zustand';
import type { TrainingStatus } from '../../shared/ipc';
import { request } from './client';

export interface TrainingState {
  /** The running or last fine-tune of this session; null before the first. */
  status: TrainingStatus | null;
  isStarting: boolean;
  applyStatus(status: TrainingStatus | null): void;
  refresh(): Promise<void>;
  start(seconds?: number | null): Promise<void>;
  cancel(): Promise<void>;
  runProposals(ids?: string[]): Promise<void>;
}

export function isTrainingActive(status: TrainingStatus | null): boolean {
  return status !== null && ['preparing', 'training', 'proposing'].includes(status.phase);
}

export const useTrainingStore = create<TrainingState>()((set, get) => ({
  status: null,
  isStarting: false,
  applyStatus: (status) => set({ status }),

  async refresh() {
    const status = await request('Asking for the fine-tune status', (api) =>
      api.training.status({}),
    );
    if (status !== null) set({ status });
  },

  async start(seconds) {
    if (get().isStarting || isTrainingActive(get().status)) return;
    set({ isStarting: true });
    const status = await request('Starting the fine-tune', (api) =>
      api.training.start(seconds ? { seconds } : {}),
    );
    set({ isStarting: false });
    if (status) set({ status });
  },

  async cancel() {
    await request('Cancelling the fine-tune', (api) => api.training.cancel({}));
  },

  async runProposals(ids) {
    await request('Asking for proposals', (api) => api.proposals.run(ids ? { ids } : {}));
  },
}));
