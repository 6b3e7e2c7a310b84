/**
 * The window learns how the engine runs from Core: starting, then the backend with why each
 * faster one was passed over, or why the engine did not start; stopped after a crash and
 * running again; and restarted on another backend when the user picks one.
 */
import { describe, expect, it } from 'vitest';
import type { BackendId, BackendReport } from '../../shared/engineProtocol';
import { AppError } from '../../shared/errors';
import type { AppInfo, EngineState } from '../../shared/ipc';
import { Core } from '../../src-main/core';
import type { EngineLifecycle } from '../../src-main/engine/client';
import type { EngineHandle } from '../../src-main/fineTune/host';

const wasm: BackendReport = {
  id: 'wasm',
  label: 'WebAssembly (CPU, SIMD + threads)',
  detail: 'SIMD, 2 threads',
  skipped: [{ id: 'webgpu', available: false, why: 'no GPU adapter' }],
};

/** A stand-in engine: `start` as given, lifecycle events, and a restart that starts anew. */
function coreWith(start: (backend: BackendId | null) => Promise<BackendReport>) {
  let listener: ((e: EngineLifecycle) => void) | null = null;
  let wanted: BackendId | null = null;
  const begin = async () => {
    const report = await start(wanted);
    listener?.({ kind: 'started', backend: report });
    return report;
  };
  const engine: EngineHandle = {
    start: begin,
    run: () => Promise.reject(new Error('not in this test')),
    cancel: () => undefined,
    onLifecycle: (l) => {
      listener = l;
      return () => (listener = null);
    },
    restart: async (backend) => {
      wanted = backend;
      return begin();
    },
    get wanted() {
      return wanted;
    },
  };
  const core = new Core({ version: '0.0.0-test', transport: 'web', engine });
  const events: EngineState[] = [];
  core.subscribe((name, payload) => {
    if (name === 'app:engine') events.push(payload as EngineState);
  });
  const info = async () => {
    const r = await core.dispatch('app:info', {});
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as AppInfo).engine;
  };
  const tell = (e: EngineLifecycle) => listener!(e);
  return { core, events, info, tell };
}

describe('Core.startEngine', () => {
  it('reports the backend and the faster ones passed over', async () => {
    const { core, events, info } = coreWith(async () => wasm);
    expect(await info()).toEqual({ state: 'starting', wanted: null });
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual({ state: 'running', backend: wasm, wanted: null });
    expect(await info()).toEqual({ state: 'running', backend: wasm, wanted: null });
  });

  it('says why the engine did not start', async () => {
    const { core, events, info } = coreWith(() =>
      Promise.reject(new AppError('BACKEND_UNAVAILABLE', 'webgpu: no GPU adapter')),
    );
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);
    expect(await info()).toEqual({
      state: 'failed',
      why: 'webgpu: no GPU adapter',
      wanted: null,
    });
  });

  it('shows a crashed engine stopped, then running again when it restarts', async () => {
    const { core, events, tell } = coreWith(async () => wasm);
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);
    tell({ kind: 'stopped', why: 'the engine process stopped (signal SIGKILL)' });
    tell({ kind: 'started', backend: wasm });
    expect(events.map((e) => e.state)).toEqual(['running', 'stopped', 'running']);
    expect(events[1]).toMatchObject({ why: 'the engine process stopped (signal SIGKILL)' });
  });
});

describe('engine:setBackend', () => {
  it('restarts the engine on the backend asked for, and back on the fastest', async () => {
    const cpu: BackendReport = { id: 'cpu', label: 'plain JavaScript', detail: 'JS', skipped: [] };
    const { core, events } = coreWith(async (backend) => (backend === 'cpu' ? cpu : wasm));
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);

    const chosen = await core.dispatch('engine:setBackend', { backend: 'cpu' });
    expect(chosen).toEqual({ ok: true, value: { state: 'running', backend: cpu, wanted: 'cpu' } });
    const back = await core.dispatch('engine:setBackend', { backend: null });
    expect(back).toEqual({ ok: true, value: { state: 'running', backend: wasm, wanted: null } });
    expect(events.map((e) => [e.state, e.wanted])).toEqual([
      ['running', null],
      ['starting', 'cpu'],
      ['running', 'cpu'],
      ['starting', null],
      ['running', null],
    ]);
  });

  it('says why a backend cannot run, and refuses names it does not know', async () => {
    const { core } = coreWith(async (backend) => {
      if (backend === 'webgpu') throw new AppError('BACKEND_UNAVAILABLE', 'webgpu: no adapter');
      return wasm;
    });
    core.startEngine();
    const failed = await core.dispatch('engine:setBackend', { backend: 'webgpu' });
    expect(failed).toEqual({
      ok: true,
      value: { state: 'failed', why: 'webgpu: no adapter', wanted: 'webgpu' },
    });
    const bad = await core.dispatch('engine:setBackend', { backend: 'quantum' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
