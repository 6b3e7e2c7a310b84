/**
 * The window learns how the engine runs from Core: starting, then the backend with why each
 * faster one was passed over, or why the engine did not start.
 */
import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../shared/engineProtocol';
import { AppError } from '../../shared/errors';
import type { AppInfo, EngineState } from '../../shared/ipc';
import { Core } from '../../src-main/core';
import type { EngineLifecycle } from '../../src-main/engine/client';
import type { EngineHandle } from '../../src-main/fineTune/host';

function coreWith(start: () => Promise<BackendReport>) {
  const engine: EngineHandle = {
    start,
    run: () => Promise.reject(new Error('not in this test')),
    cancel: () => undefined,
  };
  const core = new Core({ version: '0.0.0-test', transport: 'web', engine });
  const events: EngineState[] = [];
  core.subscribe((name, payload) => {
    if (name === 'app:engine') events.push(payload as EngineState);
  });
  const info = async () => {
    const r = await core.dispatch('app:info', undefined);
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as AppInfo).engine;
  };
  return { core, events, info };
}

describe('Core.startEngine', () => {
  it('reports the backend and the faster ones passed over', async () => {
    const report: BackendReport = {
      id: 'wasm',
      label: 'WebAssembly (CPU, SIMD + threads)',
      detail: 'SIMD, 2 threads',
      skipped: [{ id: 'webgpu', available: false, why: 'no GPU adapter' }],
    };
    const { core, events, info } = coreWith(async () => report);
    expect(await info()).toEqual({ state: 'starting' });
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual({ state: 'running', backend: report });
    expect(await info()).toEqual({ state: 'running', backend: report });
  });

  it('says why the engine did not start', async () => {
    const { core, events, info } = coreWith(() =>
      Promise.reject(new AppError('BACKEND_UNAVAILABLE', 'webgpu: no GPU adapter')),
    );
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);
    expect(await info()).toEqual({ state: 'failed', why: 'webgpu: no GPU adapter' });
  });
});

describe('Core and an engine that crashes', () => {
  it('shows it stopped, then running again when it restarts', async () => {
    const report: BackendReport = { id: 'wasm', label: 'WebAssembly', detail: 'SIMD', skipped: [] };
    let listener: ((e: EngineLifecycle) => void) | null = null;
    const engine: EngineHandle = {
      start: async () => {
        listener?.({ kind: 'started', backend: report });
        return report;
      },
      run: () => Promise.reject(new Error('not in this test')),
      cancel: () => undefined,
      onLifecycle: (l) => {
        listener = l;
        return () => (listener = null);
      },
    };
    const core = new Core({ version: '0.0.0-test', transport: 'web', engine });
    const events: EngineState[] = [];
    core.subscribe((name, payload) => {
      if (name === 'app:engine') events.push(payload as EngineState);
    });
    core.startEngine();
    await expect.poll(() => events.length).toBe(1);
    listener!({ kind: 'stopped', why: 'the engine process stopped (signal SIGKILL)' });
    listener!({ kind: 'started', backend: report });
    expect(events).toEqual([
      { state: 'running', backend: report },
      { state: 'stopped', why: 'the engine process stopped (signal SIGKILL)' },
      { state: 'running', backend: report },
    ]);
  });
});
