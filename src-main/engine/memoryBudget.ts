/**
 * How much memory each backend may fill: the wasm heap is 32-bit and stops at 4 GiB; the
 * JavaScript and native TensorFlow backends allocate host memory; GPU backends their device's.
 * WebGPU also caps each tensor: tfjs keeps a tensor in one buffer bound whole to a shader.
 */
import { freemem, totalmem } from 'node:os';
import type { BackendId } from '../../shared/engineProtocol';
import { AppError } from '../../shared/errors';
import { formatBytes } from './memory';
import type { AdapterSummary } from './webgpu/adapter';
import { activeWebGpuAdapter } from './webgpu/backend';

const GIB = 2 ** 30;

/** The wasm heap's ceiling less headroom for the module, fragmentation and data copies. */
export const WASM_USABLE_BYTES = 3 * GIB;

/** Share of the host's available memory a job may take; the app and the OS keep the rest. */
export const HOST_SHARE = 0.75;

/**
 * Neither tfjs nor WebGPU tells a GPU's memory, so GPU backends assume a small card.
 * TODO: read CUDA's free device memory for tensorflow-gpu; until then a larger card is not
 * used to the full by automatic batch and tile. (WebGPU exposes no total at all.)
 */
export const GPU_ASSUMED_BYTES = 3 * GIB;

/** A job refused before it starts: its estimate exceeds the backend's budget. */
export class MemoryBudgetError extends AppError<'TOO_BIG_FOR_MEMORY'> {}

/** Bytes a backend may fill, and the reason in words for messages. */
export interface MemoryBudget {
  backend: BackendId;
  bytes: number;
  /** Ends a sentence: "the wasm backend has 3.2 GB (…why…)". */
  why: string;
  /** The largest single tensor in bytes, where a backend caps it below `bytes` (WebGPU). */
  maxTensorBytes?: number;
}

/** The host's memory in bytes; `free` is what the OS can give (Linux: MemAvailable). */
export interface HostMemory {
  free: number;
  total: number;
}

export function hostMemory(): HostMemory {
  return { free: freemem(), total: totalmem() };
}

/**
 * The memory `backend` may fill on a host with `host` memory; for webgpu, on `adapter`
 * (default: the active one), whose limits cap each tensor and which, when it is a software
 * adapter, fills host memory.
 */
export function memoryBudget(
  backend: BackendId,
  host: HostMemory = hostMemory(),
  adapter: AdapterSummary | null = activeWebGpuAdapter(),
): MemoryBudget {
  const hostBytes = Math.floor(HOST_SHARE * Math.min(host.free, host.total));
  const hostWhy = `${HOST_SHARE * 100} % of the ${formatBytes(host.free)} of memory free now`;
  switch (backend) {
    case 'wasm':
      // The heap is host memory too: on a small machine, that is the tighter bound.
      return hostBytes < WASM_USABLE_BYTES
        ? { backend, bytes: hostBytes, why: hostWhy }
        : { backend, bytes: WASM_USABLE_BYTES, why: 'its 32-bit heap stops at 4 GiB' };
    case 'cpu':
    case 'tensorflow':
      return { backend, bytes: hostBytes, why: hostWhy };
    case 'tensorflow-gpu':
      return { backend, bytes: GPU_ASSUMED_BYTES, why: 'assumed: GPU memory is not read yet' };
    case 'webgpu':
      return webgpuBudget(hostBytes, hostWhy, adapter);
  }
}

function webgpuBudget(
  hostBytes: number,
  hostWhy: string,
  adapter: AdapterSummary | null,
): MemoryBudget {
  const backend = 'webgpu';
  const assumed = 'assumed: WebGPU does not report GPU memory';
  if (!adapter) return { backend, bytes: GPU_ASSUMED_BYTES, why: assumed };
  const { maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
  const maxTensorBytes = Math.min(maxBufferSize, maxStorageBufferBindingSize);
  return adapter.isFallback
    ? { backend, bytes: hostBytes, why: `a software adapter: ${hostWhy}`, maxTensorBytes }
    : { backend, bytes: GPU_ASSUMED_BYTES, why: assumed, maxTensorBytes };
}
