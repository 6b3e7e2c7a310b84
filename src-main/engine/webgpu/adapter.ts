/**
 * Finding a WebGPU adapter under Node: loads Dawn's Node-API addon (the `webgpu` package,
 * which ships dawn.node for Linux, macOS and Windows), asks it for an adapter and describes
 * what it found, in the terms `status.ts` turns into a reason a user can act on.
 *
 * NOTE: dawn.node is a Node-API addon, so the same binary loads under plain Node and in
 * Electron's utilityProcess (which runs full Node) without a rebuild; packaged, it must sit
 * outside the asar archive (electron-builder.yml unpacks it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const requireHere = createRequire(import.meta.url);

/** The adapter limits that bound SkipSeg's tensors, in bytes. */
export interface AdapterLimits {
  maxBufferSize: number;
  /** A tensor is one storage binding: no tensor may exceed this. */
  maxStorageBufferBindingSize: number;
}

/** What an adapter says about itself (GPUAdapterInfo), plus its limits. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software rasteriser on the CPU (SwiftShader, llvmpipe, WARP), never a GPU. */
  isFallback: boolean;
  limits: AdapterLimits;
}

/** Why there is no adapter on Linux, where Dawn reaches the GPU through Vulkan. */
export type VulkanState = 'no-loader' | 'no-driver' | 'present' | 'not-linux';

/** The outcome of looking for WebGPU here, one case per thing a user would do about it. */
export type WebGpuProbe =
  | { kind: 'missing' }
  | { kind: 'load-failed'; error: string }
  | { kind: 'no-adapter'; vulkan: VulkanState }
  | { kind: 'adapter'; adapter: AdapterSummary };

/** The slice of the WebGPU API SkipSeg touches before tfjs takes the device over. */
export interface GpuAdapter {
  readonly info: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & {
    isFallbackAdapter?: boolean;
  };
  readonly isFallbackAdapter?: boolean;
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  requestDevice(descriptor?: object): Promise<unknown>;
}

export interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

/** What the `webgpu` package exports. */
export interface DawnModule {
  create(flags: string[]): Gpu;
  /** GPUBufferUsage, GPUMapMode, GPUTextureUsage, ...: the constants tfjs reads as globals. */
  globals: object;
}

/** Software adapters by name, for drivers that do not set isFallbackAdapter. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|warp/i;

/** Reads an adapter's info and limits; a software rasteriser counts as a fallback. */
export function summariseAdapter(
  adapter: Pick<GpuAdapter, 'info' | 'isFallbackAdapter' | 'limits'>,
): AdapterSummary {
  const { vendor = '', architecture = '', device = '', description = '' } = adapter.info;
  const flagged = adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const named = SOFTWARE.test([vendor, architecture, device, description].join(' '));
  return {
    vendor,
    architecture,
    device,
    description,
    isFallback: flagged || named,
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize ?? 0,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize ?? 0,
    },
  };
}

/** Whether the `webgpu` package is in node_modules (a dependency; a broken install lacks it). */
export function isDawnInstalled(): boolean {
  try {
    requireHere.resolve('webgpu/package.json');
    return true;
  } catch {
    return false;
  }
}

export async function loadDawn(): Promise<DawnModule> {
  // A variable specifier keeps bundlers from inlining the addon's loader.
  const specifier = 'webgpu';
  return (await import(specifier)) as DawnModule;
}

const ICD_FOLDERS = [
  '/etc/vulkan/icd.d',
  '/usr/share/vulkan/icd.d',
  '/usr/local/share/vulkan/icd.d',
];

/** On Linux, whether the Vulkan loader (libvulkan.so.1) and any driver manifest are present. */
export function vulkanState(): VulkanState {
  if (process.platform !== 'linux') return 'not-linux';
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  let hasLoader = dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
  try {
    hasLoader ||= readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    // No linker cache (musl): look where distributions put it.
    const usual = ['/usr/lib', '/usr/lib64', '/lib'];
    hasLoader ||= usual.some((d) => existsSync(join(d, 'libvulkan.so.1')));
  }
  if (!hasLoader) return 'no-loader';
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return 'present';
  const hasManifest = ICD_FOLDERS.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
  return hasManifest ? 'present' : 'no-driver';
}
