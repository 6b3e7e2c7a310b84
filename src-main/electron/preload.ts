/**
 * The sandboxed preload: puts `window.skipseg` (a SkipsegBridge) into the page. The page gets
 * per-domain methods and an event subscription, never ipcRenderer itself.
 *
 * NOTE: bundled to one CommonJS file that may only `require('electron')`; import nothing
 * here that loads a package at runtime (shared/ipc.ts would bring zod; shared/channels.ts has what it needs), types aside.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../../shared/errors';
import type { EventName, SkipsegBridge } from '../../shared/ipc';
import { buildApi, isEventName } from '../../shared/channels';
import { EVENT_CHANNEL } from './bridge';

function onEvent(listener: (name: EventName, payload: unknown) => void): () => void {
  const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (isEventName(name)) listener(name, payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
}

const api = buildApi(
  (channel, args) => ipcRenderer.invoke(channel, args) as Promise<Result<unknown>>,
);

// contextBridge copies plain objects and proxies their functions, so the whole bridge,
// methods and onEvent together, is one plain object built here.
const bridge: SkipsegBridge = { ...api, onEvent };
contextBridge.exposeInMainWorld('skipseg', bridge);
