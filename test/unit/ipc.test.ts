import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  EVENT_NAMES,
  buildApi,
  isEventName,
  requestSchemas,
  validateRequest,
} from '../../shared/ipc';
import { decodeMessage, encodeMessage } from '../../shared/wireCodec';

describe('the IPC contract', () => {
  it('lists exactly the channels that have schemas', () => {
    expect([...CHANNELS].sort()).toEqual(Object.keys(requestSchemas).sort());
    for (const name of EVENT_NAMES) expect(isEventName(name)).toBe(true);
    expect(isEventName('toString')).toBe(false);
  });

  it('refuses unknown channels and names each bad field', () => {
    expect(validateRequest('fs:readFile', {})).toEqual({
      ok: false,
      message: 'unknown channel "fs:readFile"',
    });
    expect(validateRequest('constructor', {})).toMatchObject({ ok: false });
    const bad = validateRequest('mask:get', { id: '../etc/passwd', extra: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toContain('mask:get: id: an image id');
      expect(bad.message).toContain('extra');
    }
    expect(validateRequest('project:open', { dir: '/data/p' })).toEqual({
      ok: true,
      channel: 'project:open',
      args: { dir: '/data/p' },
    });
  });

  it('builds one method per channel, grouped by domain', async () => {
    const calls: unknown[] = [];
    const api = buildApi(async (channel, args) => {
      calls.push([channel, args]);
      return { ok: true, value: null };
    });
    await api.project.open({ dir: '/p' });
    await api.app.info(undefined as never);
    expect(calls).toEqual([
      ['project:open', { dir: '/p' }],
      ['app:info', {}],
    ]);
    expect(Object.keys(api).sort()).toEqual([
      'app',
      'classes',
      'engine',
      'image',
      'mask',
      'models',
      'project',
      'proposal',
      'proposals',
      'training',
    ]);
  });
});

describe('the web wire codec', () => {
  it('carries binary leaves as bytes, not JSON arrays', () => {
    const mask = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);
    const frame = encodeMessage({
      kind: 'request',
      id: 7,
      args: { data: mask, nested: [{ png: mask.subarray(0, 3) }] },
    });
    expect(frame.byteLength).toBeLessThan(1000 + 200);
    const back = decodeMessage(frame) as {
      id: number;
      args: { data: Uint8Array; nested: { png: Uint8Array }[] };
    };
    expect(back.id).toBe(7);
    expect(back.args.data).toEqual(mask);
    expect(back.args.nested[0]!.png).toEqual(new Uint8Array([0, 1, 2]));
  });

  it('refuses truncated frames', () => {
    const frame = encodeMessage({ data: new Uint8Array(10) });
    expect(() => decodeMessage(frame.subarray(0, frame.length - 1))).toThrow(
      'message body is truncated',
    );
    expect(() => decodeMessage(new Uint8Array(2))).toThrow('message too short');
  });
});
