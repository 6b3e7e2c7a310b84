/**
 * Session state: how the renderer is connected, which backend main is using, and the
 * failures to show the user. Nothing here is part of the project document.
 */
import { create } from 'zustand';
import type { AppInfo } from '../../shared/ipc';
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
  /** The compute backend main is using, or null until its engine has started. */
  backend: AppInfo['backend'];
  connection: ConnectionState;
  errors: ErrorNotice[];
  setTransportKind(kind: TransportKind): void;
  setAppInfo(info: AppInfo): void;
  setBackend(backend: AppInfo['backend']): void;
  setConnection(connection: ConnectionState): void;
  reportError(message: string): void;
  dismissError(id: number): void;
}

let nextErrorId = 1;

export const useSessionStore = create<SessionState>()((set) => ({
  transportKind: null,
  appVersion: null,
  backend: null,
  connection: 'connecting',
  errors: [],
  setTransportKind: (transportKind) => set({ transportKind }),
  // A backend event may beat the app:info answer; a null there must not erase it.
  setAppInfo: (info) =>
    set((s) => ({ appVersion: info.version, backend: info.backend ?? s.backend })),
  setBackend: (backend) => set({ backend }),
  setConnection: (connection) => set({ connection }),
  reportError: (message) =>
    set((s) => ({ errors: [...s.errors, { id: nextErrorId++, message }].slice(-MAX_ERRORS) })),
  dismissError: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
}));
