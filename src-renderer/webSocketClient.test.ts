import { describe, expect, it, vi } from 'vitest';
import { decodeMessage, encodeMessage } from '../shared/wireCodec';
import type { SocketLike } from './webSocketClient';
import { WebSocketClient } from './webSocketClient';

class FakeSocket implements SocketLike {
  binaryType: BinaryType = 'blob';
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  sent: Record<string, unknown>[] = [];

  send(data: Uint8Array): void {
    this.sent.push(decodeMessage(data) as Record<string, unknown>);
  }

  open(): void {
    this.onopen?.({} as Event);
  }

  close(): void {
    this.onclose?.({} as CloseEvent);
  }

  push(message: unknown): void {
    const bytes = encodeMessage(message);
    const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.onmessage?.({ data } as MessageEvent);
  }
}

describe('WebSocketClient', () => {
  it('asks for binary frames and queues requests until the socket opens', () => {
    const socket = new FakeSocket();
    const client = new WebSocketClient(socket, () => undefined);
    void client.invoke('app:info', {});

    expect(socket.binaryType).toBe('arraybuffer');
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([{ kind: 'request', id: 1, channel: 'app:info', args: {} }]);
  });

  it('matches responses to requests by id, binary payloads included', async () => {
    const socket = new FakeSocket();
    const client = new WebSocketClient(socket, () => undefined);
    socket.open();
    const first = client.invoke('mask:get', { id: 'a' });
    const second = client.invoke('mask:get', { id: 'b' });

    socket.push({ kind: 'response', id: 2, result: { ok: true, value: Uint8Array.of(2) } });
    socket.push({ kind: 'response', id: 1, result: { ok: true, value: Uint8Array.of(1) } });
    expect(await first).toEqual({ ok: true, value: Uint8Array.of(1) });
    expect(await second).toEqual({ ok: true, value: Uint8Array.of(2) });
  });

  it('hands events to its listener', () => {
    const socket = new FakeSocket();
    const onEvent = vi.fn();
    new WebSocketClient(socket, onEvent);
    socket.push({
      kind: 'event',
      name: 'app:engine',
      payload: { state: 'failed', why: 'test', wanted: null },
    });

    expect(onEvent).toHaveBeenCalledWith('app:engine', {
      state: 'failed',
      why: 'test',
      wanted: null,
    });
  });

  it('fails waiting and later requests with DISCONNECTED once the socket closes', async () => {
    const socket = new FakeSocket();
    const client = new WebSocketClient(socket, () => undefined);
    const states: string[] = [];
    client.onStateChange((state) => states.push(state));
    const waiting = client.invoke('app:info', {});
    socket.close();

    expect(await waiting).toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    expect(await client.invoke('app:info', {})).toMatchObject({ ok: false });
    expect(client.getState()).toBe('closed');
    expect(states).toEqual(['closed']);
  });
});
