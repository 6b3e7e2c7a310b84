import { describe, expect, it } from 'vitest';
import { BACKEND_IDS } from '../../../shared/engineProtocol';
import { parseBackendId, reportLines } from '../../../shared/engineProtocol';
import {
  BACKENDS,
  chooseBackend,
  explainNativeError,
  probeAll,
} from '../../../src-main/engine/backends';

describe('compute backends', () => {
  it('keeps one ordered list, fastest first', () => {
    expect(BACKENDS.map((b) => b.id)).toEqual([...BACKEND_IDS]);
  });

  it('says why tfjs-node-gpu is absent and how to get it', async () => {
    const statuses = await probeAll();
    const gpu = statuses.find((s) => s.id === 'tensorflow-gpu')!;
    // These machines cannot download libtensorflow, so the package is never installed here.
    expect(gpu.available).toBe(false);
    expect(gpu.why).toMatch(
      /not installed: .*CUDA 11\.2 and cuDNN 8\.1.*npm install @tensorflow\/tfjs-node-gpu/,
    );
    expect(statuses.find((s) => s.id === 'cpu')?.available).toBe(true);
    expect(statuses.find((s) => s.id === 'wasm')?.available).toBe(true);
  });

  it('turns a missing CUDA library into a sentence a user can act on', () => {
    const err = new Error(
      'libcudart.so.11.0: cannot open shared object file: No such file or directory',
    );
    expect(explainNativeError(err)).toBe(
      'libcudart.so.11.0 is missing: it needs CUDA 11.2 and cuDNN 8.1 exactly, so SkipSeg runs on the CPU',
    );
    expect(
      explainNativeError(new Error('libtensorflow.so.2: cannot open shared object file')),
    ).toMatch(/^libtensorflow\.so\.2 is missing/);
  });

  it('takes the first working backend and lists the faster ones it passed over', async () => {
    const report = await chooseBackend(null);
    expect(report.id).toBe('wasm');
    expect(report.skipped.map((s) => s.id)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu']);
    expect(report.detail).toMatch(/thread/);
  });

  it('refuses an unavailable or unknown backend by name', async () => {
    await expect(chooseBackend('tensorflow')).rejects.toThrow(
      /^tensorflow: @tensorflow\/tfjs-node is not installed/,
    );
    expect(() => parseBackendId('cuda')).toThrow('unknown backend "cuda"');
    expect(parseBackendId('auto')).toBeNull();
    expect(parseBackendId('cpu')).toBe('cpu');
  });
});

describe("the app's doctor lines", () => {
  it('lists each faster backend passed over, then the one running', () => {
    const lines = reportLines({
      id: 'wasm',
      label: 'WebAssembly (CPU, SIMD + threads)',
      detail: 'SIMD, 4 threads',
      skipped: [
        { id: 'tensorflow', available: false, why: '@tensorflow/tfjs-node is not installed' },
        { id: 'webgpu', available: false, why: 'the webgpu package did not load: bad ELF' },
      ],
    });
    expect(lines).toEqual([
      'no   tensorflow      @tensorflow/tfjs-node is not installed',
      'no   webgpu          the webgpu package did not load: bad ELF',
      'yes  wasm            WebAssembly (CPU, SIMD + threads): SIMD, 4 threads',
    ]);
  });
});
