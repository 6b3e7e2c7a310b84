/**
 * Picks how the renderer reaches the main process, once, at startup: the preload's bridge
 * in Electron, a WebSocket in a browser. Nothing past this file knows which it got.
 */
import type { EventName, EventPayloads, MediaKind, SkipsegApi, SkipsegBridge } from '../shared/ipc';
import { buildApi, MEDIA_SCHEME } from '../shared/channels';
import { MEDIA_PATH, TOKEN_PARAM, WS_PATH } from '../shared/webProtocol';
import { EventHub } from './eventHub';
import type { ConnectionState } from './webSocketClient';
import { WebSocketClient } from './webSocketClient';

export type { ConnectionState } from './webSocketClient';
export type TransportKind = 'electron' | 'web';

/** The renderer's one way to talk to main, the same in Electron and in a browser. */
export interface Transport {
  readonly kind: TransportKind;
  /** Per-domain requests: `api.project.open({ dir })` resolves to a `Result`. */
  readonly api: SkipsegApi;
  /** Calls `listener` for every `name` event pushed from main; returns the unsubscribe. */
  onEvent<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** A URL for an image or thumbnail by id, usable as an <img> src. */
  mediaUrl(kind: MediaKind, id: string): string;
  getConnection(): ConnectionState;
  /** Calls `listener` on every change of connection state; returns the unsubscribe. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

/** Uses `window.skipseg` when the preload exposed it, else the web mode's WebSocket. */
export function createTransport(): Transport {
  const bridge = (globalThis as { skipseg?: SkipsegBridge }).skipseg;
  return bridge ? electronTransport(bridge) : webTransport();
}

function electronTransport(bridge: SkipsegBridge): Transport {
  const events = new EventHub();
  bridge.onEvent((name, payload) => events.emit(name, payload));
  return {
    kind: 'electron',
    api: bridge,
    onEvent: (name, listener) => events.on(name, listener),
    mediaUrl: (kind, id) => `${MEDIA_SCHEME}://${kind}/${encodeURIComponent(id)}`,
    // IPC to our own main process cannot drop.
    getConnection: () => 'open',
    onConnectionChange: () => () => undefined,
  };
}

function webTransport(): Transport {
  removeTokenFromAddressBar();
  const events = new EventHub();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}${WS_PATH}`);
  const client = new WebSocketClient(socket, (name, payload) => events.emit(name, payload));
  return {
    kind: 'web',
    api: buildApi((channel, args) => client.invoke(channel, args)),
    onEvent: (name, listener) => events.on(name, listener),
    mediaUrl: (kind, id) => `${MEDIA_PATH}/${kind}/${encodeURIComponent(id)}`,
    getConnection: () => client.getState(),
    onConnectionChange: (listener) => client.onStateChange(listener),
  };
}

/**
 * The server exchanged the launch URL's token for an HttpOnly cookie when it served the
 * page; dropping it from the address bar keeps it out of history, bookmarks and shares.
 */
function removeTokenFromAddressBar(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has(TOKEN_PARAM)) return;
  url.searchParams.delete(TOKEN_PARAM);
  history.replaceState(history.state, '', url);
}
