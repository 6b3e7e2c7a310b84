/**
 * tfjs's WebGPU backend under Node, on Dawn. tfjs-backend-webgpu's own factory asks for an
 * adapter itself and fails on a null one without saying why; SkipSeg registers the backend
 * on the adapter it has already probed and reported instead. The backend still insists on
 * `navigator.gpu` (Node has no WebGPU of its own), so Dawn's instance is put there.
 *
 * NOTE: a tensor on this backend reads back with `await data()` only: `dataSync()` needs an
 * OffscreenCanvas, which Node lacks. The engine's jobs read every result asynchronously.
 */
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/errors';
import {
  isDawnInstalled,
  loadDawn,
  summariseAdapter,
  vulkanState,
  type AdapterSummary,
  type DawnModule,
  type Gpu,
  type GpuAdapter,
  type WebGpuProbe,
} from './adapter';
import { probeInChild } from './probeChild';
import { adapterDetail, webgpuStatus } from './status';

interface Found {
  probe: WebGpuProbe;
  dawn?: DawnModule;
  gpu?: Gpu;
  adapter?: GpuAdapter;
}

let found: Promise<Found> | null = null;
let foundByChild: Promise<WebGpuProbe> | null = null;
let registered = false;
let active: AdapterSummary | null = null;

async function look(): Promise<Found> {
  if (!isDawnInstalled()) return { probe: { kind: 'missing' } };
  let dawn: DawnModule;
  try {
    dawn = await loadDawn();
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return { probe: { kind: 'load-failed', error } };
  }
  // Dawn's instance lives as long as this reference: once per process.
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { probe: { kind: 'no-adapter', vulkan: vulkanState() } };
  return { probe: { kind: 'adapter', adapter: summariseAdapter(adapter) }, dawn, gpu, adapter };
}

/**
 * Looks for WebGPU once per process; cheap after. Asked for by name (`isWanted`), or once
 * Dawn is loaded here anyway, in this process (the addon and adapter are kept for
 * `activateWebGpu`); else in a child process, so that where no GPU answers neither Dawn's
 * warnings nor a crashing driver reach this one (see probeChild.ts).
 */
export function probeWebGpu(isWanted = false): Promise<WebGpuProbe> {
  const inHere = isWanted || found !== null || process.versions.electron !== undefined;
  if (inHere || !isDawnInstalled()) {
    found ??= look();
    return found.then((f) => f.probe);
  }
  foundByChild ??= probeInChild(vulkanState);
  return foundByChild;
}

/**
 * Doctor's line on the app: its engine runs in Electron's utilityProcess, a full Node, which
 * loads the same dawn.node (a Node-API addon, so no rebuild for Electron's ABI). What it
 * finds there the app shows in its backend panel, from that process's own probe.
 */
export async function webgpuInAppNote(): Promise<string> {
  const probe = await probeWebGpu();
  if (process.versions.electron) return `in the app: this is Electron ${process.versions.electron}`;
  if (probe.kind === 'missing' || probe.kind === 'load-failed') {
    return 'in the app: the same package loads in the engine process, so the same fix applies';
  }
  return (
    "in the app: the engine runs in Electron's utilityProcess and loads this same " +
    'Node-API dawn.node; `npm start -- --doctor` and the status bar show what it finds there'
  );
}

/** The adapter the webgpu backend runs on, once it has been activated; null before. */
export function activeWebGpuAdapter(): AdapterSummary | null {
  return active;
}

/** What tfjs-backend-webgpu reads from the browser's globals, set from Dawn's. */
function installGlobals(dawn: DawnModule, gpu: Gpu): void {
  // GPUBufferUsage, GPUMapMode, GPUTextureUsage, ...
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.assign(globalThis, { [name]: value });
  }
  // Node 21+ (and Electron's utilityProcess) has a `navigator` without `gpu`; Node 20 none.
  const holder = globalThis as { navigator?: object };
  if (!holder.navigator) holder.navigator = {};
  Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
}

async function register(dawn: DawnModule, gpu: Gpu, adapter: GpuAdapter): Promise<void> {
  installGlobals(dawn, gpu);
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  type Args = ConstructorParameters<typeof WebGPUBackend>;
  // With navigator.gpu set before it loaded, the package registered its own factory.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  // Priority 0: tfjs never picks it on its own; the engine asks for it by name.
  const create = () => new WebGPUBackend(device as Args[0], adapter.info as Args[1]);
  tf.registerBackend('webgpu', create, 0);
}

/**
 * Makes webgpu tfjs's active backend on the probed adapter; returns the detail line (the
 * adapter, GPU or software, its tensor limit). Throws BACKEND_UNAVAILABLE with doctor's
 * reason when there is no adapter.
 */
export async function activateWebGpu(): Promise<string> {
  found ??= look();
  const { probe, dawn, gpu, adapter } = await found;
  if (probe.kind !== 'adapter' || !dawn || !gpu || !adapter) {
    throw new AppError('BACKEND_UNAVAILABLE', webgpuStatus(probe, true).why);
  }
  if (!registered) {
    await register(dawn, gpu, adapter);
    registered = true;
  }
  if (!(await tf.setBackend('webgpu'))) {
    throw new AppError('BACKEND_UNAVAILABLE', 'the WebGPU device did not start');
  }
  active = probe.adapter;
  return adapterDetail(probe.adapter);
}
