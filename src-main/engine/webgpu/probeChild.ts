/**
 * Looking for a WebGPU adapter in a short-lived child process, for the automatic backend
 * choice. Loading Dawn where no GPU serves it (a headless server, a CI runner) makes its
 * Vulkan and EGL layers print warnings straight to the process's stderr, and a broken
 * driver can crash the process that asks; the child takes both. The engine loads Dawn
 * itself only when the child found a GPU, or when the user asked for webgpu by name.
 *
 * Not under Electron: there `process.execPath` is the app, which runs a script only while
 * its RunAsNode fuse is on; the engine already has a process of its own there.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { summariseAdapter, type GpuAdapter, type VulkanState, type WebGpuProbe } from './adapter';

const requireHere = createRequire(import.meta.url);

/** Long enough for a cold driver's first start; a hang past it is reported, not waited on. */
const PROBE_TIMEOUT_MS = 30_000;

/** The child: loads the module at argv[1], asks for an adapter, prints one JSON line. */
const CHILD = `
const say = (o) => process.stdout.write('\\n@@probe ' + JSON.stringify(o) + '\\n');
let dawn;
try {
  dawn = await import(process.argv[1]);
} catch (err) {
  say({ kind: 'load-failed', error: String(err && err.message || err).split('\\n')[0] });
  process.exit(0);
}
const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) {
  say({ kind: 'no-adapter' });
} else {
  const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));
  const names = ['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter'];
  const info = pick(adapter.info, names);
  const limits = pick(adapter.limits, ['maxBufferSize', 'maxStorageBufferBindingSize']);
  say({ kind: 'adapter', info, isFallbackAdapter: adapter.isFallbackAdapter, limits });
}
process.exit(0);
`;

type ChildAnswer =
  | { kind: 'load-failed'; error: string }
  | { kind: 'no-adapter' }
  | ({ kind: 'adapter' } & Pick<GpuAdapter, 'info' | 'isFallbackAdapter' | 'limits'>);

/** The `webgpu` package's entry, as the URL the child imports. */
export function dawnEntryUrl(): string {
  return pathToFileURL(requireHere.resolve('webgpu')).href;
}

/** The last line Dawn or the driver printed, to name what went wrong when the child died. */
function lastWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  return lines.at(-1)?.slice(0, 200) ?? '';
}

/**
 * Runs the probe in a child Node; `entry` is the module to load (the `webgpu` package; the
 * tests pass stand-ins). A child that crashes, hangs or prints no answer gives `load-failed`
 * with what it said last.
 */
export function probeInChild(
  vulkan: () => VulkanState,
  entry: string = dawnEntryUrl(),
): Promise<WebGpuProbe> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, entry], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
      // The child must not inherit flags such as --import tsx, which it does not need.
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (err) => resolve({ kind: 'load-failed', error: err.message }));
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('@@probe '));
      if (!line) {
        const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
        const said = lastWords(stderr);
        const error = `looking for an adapter, Dawn ${how}${said ? ` (${said})` : ''}`;
        resolve({ kind: 'load-failed', error });
        return;
      }
      const answer = JSON.parse(line.slice('@@probe '.length)) as ChildAnswer;
      if (answer.kind === 'adapter') {
        resolve({ kind: 'adapter', adapter: summariseAdapter(answer) });
      } else if (answer.kind === 'no-adapter') {
        resolve({ kind: 'no-adapter', vulkan: vulkan() });
      } else {
        resolve(answer);
      }
    });
  });
}
