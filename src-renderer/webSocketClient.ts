/**
 * The web mode's side of the wire protocol (shared/webProtocol.ts): requests go out as
 * binary frames, responses are matched back by id, and events are handed to `onEvent`.
 */
import type { ErrorInfo, Result } from '../shared/errors';
import type { WireRequest } from '../shared/webProtocol';
import { decodeMessage, encodeMessage } from '../shared/wireCodec';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The part of a browser WebSocket this client uses, so tests can hand it a fake. */
export interface SocketLike {
  binaryType: BinaryType;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  send(data: Uint8Array<ArrayBuffer>): void;
}

const DISCONNECTED: ErrorInfo = {
  code: 'DISCONNECTED',
  message: 'The connection to SkipSeg was lost. Reload the page to reconnect.',
};

export class WebSocketClient {
  private state: ConnectionState = 'connecting';
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  /** Frames sent before the socket opened, in order. */
  private queue: Uint8Array<ArrayBuffer>[] = [];
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(
    private readonly socket: SocketLike,
    private readonly onEvent: (name: string, payload: unknown) => void,
  ) {
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.open();
    socket.onclose = () => this.close();
    socket.onmessage = (ev) => this.receive(ev.data);
  }

  getState(): ConnectionState {
    return this.state;
  }

  /** Calls `listener` on every change of connection state; returns the unsubscribe. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends one request; resolves with its result, or DISCONNECTED if the socket closes. */
  invoke(channel: string, args: unknown): Promise<Result<unknown>> {
    if (this.state === 'closed') return Promise.resolve({ ok: false, error: DISCONNECTED });
    const request: WireRequest = { kind: 'request', id: this.nextId++, channel, args };
    // encodeMessage builds a fresh buffer, never a shared one.
    const frame = encodeMessage(request) as Uint8Array<ArrayBuffer>;

    const result = new Promise<Result<unknown>>((resolve) => this.pending.set(request.id, resolve));
    if (this.state === 'open') this.socket.send(frame);
    else this.queue.push(frame);
    return result;
  }

  private open(): void {
    this.setState('open');
    for (const frame of this.queue) this.socket.send(frame);
    this.queue = [];
  }

  private close(): void {
    this.setState('closed');
    this.queue = [];
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve({ ok: false, error: DISCONNECTED });
  }

  private receive(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) {
      console.warn('dropped a text frame: the protocol is binary');
      return;
    }
    let message: unknown;
    try {
      message = decodeMessage(new Uint8Array(data));
    } catch (err) {
      console.error('dropped an unreadable frame', err);
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const wire = message as Record<string, unknown>;
    if (wire.kind === 'event' && typeof wire.name === 'string') {
      this.onEvent(wire.name, wire.payload);
    } else if (wire.kind === 'response' && typeof wire.id === 'number') {
      const resolve = this.pending.get(wire.id);
      this.pending.delete(wire.id);
      resolve?.(wire.result as Result<unknown>);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
