/**
 * The automatic WebGPU probe runs in a child process: every way the child can end becomes
 * one probe outcome, a crash included, and Dawn's warnings stay out of this process.
 * Stand-in modules play Dawn; the real one runs on SwiftShader where it is present.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vulkanState } from '../../../src-main/engine/webgpu/adapter';
import { probeInChild } from '../../../src-main/engine/webgpu/probeChild';
import { tempDir } from '../../helpers/fixtures';
import { webgpuSkipReason } from '../../helpers/webgpu';

let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir();
});

afterAll(async () => {
  await tmp.remove();
});

/** A module standing in for the `webgpu` package, as the URL the child imports. */
async function standIn(name: string, source: string): Promise<string> {
  const file = join(tmp.dir, `${name}.mjs`);
  await writeFile(file, source);
  return pathToFileURL(file).href;
}

const adapterModule = (info: object) => `
export function create() {
  return {
    async requestAdapter() {
      return {
        info: ${JSON.stringify(info)},
        limits: {
          maxBufferSize: 2 ** 31,
          maxStorageBufferBindingSize: 2 ** 30,
          maxColorAttachments: 8,
        },
      };
    },
  };
}
`;

describe('the WebGPU probe in a child process', () => {
  it('describes the adapter the child found', async () => {
    const entry = await standIn('gpu', adapterModule({ vendor: 'acme', description: 'Acme X1' }));
    const probe = await probeInChild(() => 'present', entry);
    expect(probe).toEqual({
      kind: 'adapter',
      adapter: {
        vendor: 'acme',
        architecture: '',
        device: '',
        description: 'Acme X1',
        isFallback: false,
        limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
      },
    });
  });

  it('still calls a software rasteriser a fallback', async () => {
    const entry = await standIn('soft', adapterModule({ description: 'llvmpipe (LLVM 15)' }));
    const probe = await probeInChild(() => 'present', entry);
    expect(probe.kind === 'adapter' && probe.adapter.isFallback).toBe(true);
  });

  it('says no adapter, with the Vulkan state, when none answers', async () => {
    const entry = await standIn(
      'none',
      'export const create = () => ({ requestAdapter: async () => null });',
    );
    expect(await probeInChild(() => 'no-loader', entry)).toEqual({
      kind: 'no-adapter',
      vulkan: 'no-loader',
    });
  });

  it('reports an addon that does not load', async () => {
    const entry = await standIn('broken', "throw new Error('dawn.node: wrong ELF class');");
    expect(await probeInChild(() => 'present', entry)).toEqual({
      kind: 'load-failed',
      error: 'dawn.node: wrong ELF class',
    });
  });

  it('survives a driver that crashes the child, and names its last words', async () => {
    const entry = await standIn(
      'crash',
      "process.stderr.write('Warning: vkCreateDevice failed\\n');\n" +
        "process.kill(process.pid, 'SIGSEGV');",
    );
    const probe = await probeInChild(() => 'present', entry);
    expect(probe.kind).toBe('load-failed');
    expect(probe.kind === 'load-failed' && probe.error).toBe(
      'looking for an adapter, Dawn was stopped by SIGSEGV (Warning: vkCreateDevice failed)',
    );
  });

  it.skipIf(webgpuSkipReason)('finds SwiftShader through the real Dawn', async () => {
    const probe = await probeInChild(vulkanState);
    expect(probe.kind).toBe('adapter');
    expect(probe.kind === 'adapter' && probe.adapter.isFallback).toBe(true);
    expect(probe.kind === 'adapter' && probe.adapter.description).toMatch(/swiftshader/i);
  });

  it('keeps Dawn out of doctor when nothing is asked of it by name', () => {
    // Without VK_ICD_FILENAMES Dawn finds no adapter here, and on a Mesa machine warns.
    const env: NodeJS.ProcessEnv = { ...process.env, SKIPSEG_LOG: 'warn' };
    delete env.VK_ICD_FILENAMES;
    delete env.SKIPSEG_BACKEND;
    const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'skipseg.mjs');
    const r = spawnSync(process.execPath, [bin, 'doctor'], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^(yes|no) +webgpu/m);
    expect(r.stderr).toBe('');
  });
});
