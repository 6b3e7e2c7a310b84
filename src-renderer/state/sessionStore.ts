/**
 * Session state: how the renderer is connected, how main's engine runs, and the
 * failures to show the user. Nothing here is part of the project document.
 */
import { create } from 'zustand';
import type { AppInfo, EngineState } from '../../shared/ipc';
import type { ConnectionState, TransportKind } from '../transport';

/** A failed request, worded for the user. */
export interface ErrorNotice {
  id: number;
  message: string;
}

/** Older notices are dropped past this many, so a failure loop cannot flood the screen. */
const MAX_ERRORS = 5;

export interface SessionState {
  transportKind: TransportKind | null;
  appVersion: string | null;
  /** Main's engine: starting, running on a backend, or failed. */
  engine: EngineState;
  connection: ConnectionState;
  errors: ErrorNotice[];
  setTransportKind(kind: TransportKind): void;
  setAppInfo(info: AppInfo): void;
  setEngine(engine: EngineState): void;
  setConnection(connection: ConnectionState): void;
  reportError(message: string): void;
  dismissError(id: number): void;
}

let nextErrorId = 1;

export const useSessionStore = create<SessionState>()((set) => ({
  transportKind: null,
  appVersion: null,
  engine: { state: 'starting', wanted: null },
  connection: 'connecting',
  errors: [],
  setTransportKind: (transportKind) => set({ transportKind }),
  // An engine event may beat the app:info answer; 'starting' there must not erase it.
  setAppInfo: (info) =>
    set((s) => ({
      appVersion: info.version,
      engine: info.engine.state === 'starting' ? s.engine : info.engine,
    })),
  setEngine: (engine) => set({ engine }),
  setConnection: (connection) => set({ connection }),
  reportError: (message) =>
    set((s) => ({ errors: [...s.errors, { id: nextErrorId++, message }].slice(-MAX_ERRORS) })),
  dismissError: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
}));
