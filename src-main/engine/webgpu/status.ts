/**
 * What `skipseg doctor` and the status bar say about WebGPU: one sentence per probe outcome
 * that names what to install or change. Pure, so every outcome is testable without a GPU.
 */
import type { BackendStatus } from '../../../shared/engineProtocol';
import { exhaustiveSwitchError } from '../../../shared/errors';
import { formatBytes } from '../memory';
import type { AdapterSummary, WebGpuProbe } from './adapter';

/** "SwiftShader driver 5.0.0 (google swiftshader)": the adapter as a user would know it. */
export function adapterName(adapter: AdapterSummary): string {
  const name = adapter.description || adapter.device || 'unnamed adapter';
  const maker = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ');
  return maker ? `${name} (${maker})` : name;
}

/** The detail line once active: the adapter, whether it is a GPU, and its tensor limit. */
export function adapterDetail(adapter: AdapterSummary): string {
  const kind = adapter.isFallback ? 'software adapter running on the CPU, not a GPU' : 'GPU';
  const binding = formatBytes(adapter.limits.maxStorageBufferBindingSize);
  return `${adapterName(adapter)}, ${kind}; largest tensor ${binding}`;
}

function noAdapterWhy(vulkan: Extract<WebGpuProbe, { kind: 'no-adapter' }>['vulkan']): string {
  switch (vulkan) {
    case 'no-loader':
      return (
        'no GPU adapter: the Vulkan loader is missing; install libvulkan1 ' +
        '(`sudo apt-get install libvulkan1` on Debian and Ubuntu) and your GPU driver'
      );
    case 'no-driver':
      return (
        'no GPU adapter: Vulkan finds no driver; install the Vulkan driver for your GPU ' +
        '(mesa-vulkan-drivers for AMD and Intel, the proprietary driver for NVIDIA)'
      );
    case 'present':
      return (
        'no GPU adapter: Vulkan drivers are installed but none offers WebGPU an adapter ' +
        '(the software lavapipe is refused); update or install the GPU driver'
      );
    case 'not-linux':
      return (
        'no GPU adapter: update the GPU driver ' +
        '(WebGPU needs Metal on macOS, Direct3D 12 on Windows)'
      );
    default:
      return exhaustiveSwitchError(vulkan);
  }
}

/**
 * The webgpu line of doctor. A software (fallback) adapter is available only when asked for
 * by name (`isWanted`): on a CPU the WebAssembly backend is faster, so it is never chosen
 * on its own and never called a GPU.
 */
export function webgpuStatus(probe: WebGpuProbe, isWanted: boolean): BackendStatus {
  const id = 'webgpu';
  switch (probe.kind) {
    case 'missing':
      return {
        id,
        available: false,
        why: 'the webgpu package is not installed: run `npm install` in the SkipSeg folder',
      };
    case 'load-failed':
      return { id, available: false, why: `the webgpu package did not load: ${probe.error}` };
    case 'no-adapter':
      return { id, available: false, why: noAdapterWhy(probe.vulkan) };
    case 'adapter': {
      const name = adapterName(probe.adapter);
      if (!probe.adapter.isFallback) return { id, available: true, why: `GPU adapter ${name}` };
      if (isWanted) return { id, available: true, why: `software adapter ${name}, not a GPU` };
      return {
        id,
        available: false,
        why:
          `only a software adapter, ${name}, which runs on the CPU slower than WebAssembly; ` +
          'use it anyway with --backend webgpu',
      };
    }
    default:
      return exhaustiveSwitchError(probe);
  }
}
