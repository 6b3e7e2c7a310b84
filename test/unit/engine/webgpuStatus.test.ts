/**
 * What doctor says about WebGPU for each probe outcome, from injected probes (no GPU
 * needed), and the adapter's limits as memory budget: a step whose largest tensor exceeds
 * one buffer is refused in one sentence.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { footprintFor } from '../../../src-main/engine/memory';
import { memoryBudget } from '../../../src-main/engine/memoryBudget';
import { chooseTrainSize } from '../../../src-main/engine/trainSize';
import { summariseAdapter, type AdapterSummary } from '../../../src-main/engine/webgpu/adapter';
import { adapterDetail, webgpuStatus } from '../../../src-main/engine/webgpu/status';

const MIB = 2 ** 20;
const host = { free: 32e9, total: 64e9 };

function adapter(overrides: Partial<AdapterSummary> = {}): AdapterSummary {
  return {
    vendor: 'nvidia',
    architecture: 'ampere',
    device: '',
    description: 'NVIDIA GeForce RTX 3060',
    isFallback: false,
    limits: { maxBufferSize: 4096 * MIB, maxStorageBufferBindingSize: 2048 * MIB },
    ...overrides,
  };
}

const swiftShader = adapter({
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader driver 5.0.0',
  isFallback: true,
  limits: { maxBufferSize: 1024 * MIB, maxStorageBufferBindingSize: 1024 * MIB },
});

describe('doctor on WebGPU', () => {
  it('says how to install a missing or broken addon', () => {
    expect(webgpuStatus({ kind: 'missing' }, false)).toEqual({
      id: 'webgpu',
      available: false,
      why: 'the webgpu package is not installed: run `npm install` in the SkipSeg folder',
    });
    const error = 'dawn.node: invalid ELF header';
    const failed = webgpuStatus({ kind: 'load-failed', error }, true);
    expect(failed.why).toBe('the webgpu package did not load: dawn.node: invalid ELF header');
  });

  it('names the Vulkan loader or driver when there is no adapter', () => {
    const why = (vulkan: 'no-loader' | 'no-driver' | 'present' | 'not-linux') =>
      webgpuStatus({ kind: 'no-adapter', vulkan }, true).why;
    expect(why('no-loader')).toMatch(/Vulkan loader is missing; install libvulkan1 .*apt-get/);
    expect(why('no-driver')).toMatch(/Vulkan finds no driver; install the Vulkan driver/);
    expect(why('present')).toMatch(/update or install the GPU driver/);
    expect(why('not-linux')).toMatch(/Metal on macOS, Direct3D 12 on Windows/);
  });

  it('skips a software adapter unless asked for, and never calls it a GPU', () => {
    const probe = { kind: 'adapter', adapter: swiftShader } as const;
    expect(webgpuStatus(probe, false)).toEqual({
      id: 'webgpu',
      available: false,
      why:
        'only a software adapter, SwiftShader driver 5.0.0 (google swiftshader), which runs on ' +
        'the CPU slower than WebAssembly; use it anyway with --backend webgpu',
    });
    expect(webgpuStatus(probe, true).available).toBe(true);
    expect(webgpuStatus(probe, true).why).toMatch(/^software adapter .*, not a GPU$/);
    expect(adapterDetail(swiftShader)).toMatch(/software adapter running on the CPU, not a GPU/);
    const gpu = webgpuStatus({ kind: 'adapter', adapter: adapter() }, false);
    expect(gpu.available).toBe(true);
    expect(gpu.why).toBe('GPU adapter NVIDIA GeForce RTX 3060 (nvidia ampere)');
  });

  it('tells a software adapter by its flag or by its name', () => {
    const read = (info: object, isFallbackAdapter?: boolean) =>
      summariseAdapter({
        info,
        isFallbackAdapter,
        limits: { maxBufferSize: 1, maxStorageBufferBindingSize: 1 },
      }).isFallback;
    expect(read({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(read({ vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(read({ description: 'Apple M2' }, true)).toBe(true);
    expect(read({ description: 'Apple M2', isFallbackAdapter: false })).toBe(false);
  });
});

describe('WebGPU memory', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('caps each tensor at one buffer, and counts host memory on a software adapter', () => {
    expect(memoryBudget('webgpu', host, swiftShader)).toMatchObject({
      bytes: Math.floor(0.75 * 32e9),
      maxTensorBytes: 1024 * MIB,
    });
    expect(memoryBudget('webgpu', host, adapter()).maxTensorBytes).toBe(2048 * MIB);
    expect(memoryBudget('webgpu', host, null).maxTensorBytes).toBeUndefined();
  });

  it('refuses a batch whose largest tensor does not fit one buffer, saying what to lower', () => {
    const limits = { maxBufferSize: 256 * MIB, maxStorageBufferBindingSize: 128 * MIB };
    const budget = memoryBudget('webgpu', host, adapter({ limits }));
    const footprint = footprintFor('unet', { classes: 2, inputChannels: 1, base: 16, depth: 4 });
    const req = { footprint, depth: 4, imageSide: 512, budget, what: 'unet' };
    expect(() => chooseTrainSize({ ...req, batch: 8, tile: 512 })).toThrow(
      'batch 8 at tile 512 makes a tensor of about 268 MB in unet, larger than the 134 MB ' +
        'one buffer of the webgpu adapter holds; lower --tile to',
    );
    const auto = chooseTrainSize({ ...req, batch: null, tile: null });
    const largest = 4 * auto.batch * auto.tile ** 2 * footprint.largestPerPixel;
    expect(largest).toBeLessThanOrEqual(128 * MIB);
  });
});
