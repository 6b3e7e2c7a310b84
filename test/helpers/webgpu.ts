/**
 * The WebGPU tests' adapter. They run on SwiftShader, the software Vulkan driver Debian's
 * Chromium ships, pointed at by VK_ICD_FILENAMES before Dawn first loads (the engine never
 * sets it: it would hide a real GPU's driver). A test file awaits `webgpuSkipReason`:
 *
 * - an adapter is found: null, the tests run;
 * - none, and CI or SKIPSEG_REQUIRE_WEBGPU is set (.ci/run sets it): the file fails with
 *   doctor's reason, so CI never passes without having run them;
 * - none elsewhere: the reason, printed once, and the tests are skipped.
 */
import { existsSync } from 'node:fs';
import { probeWebGpu } from '../../src-main/engine/webgpu/backend';
import { webgpuStatus } from '../../src-main/engine/webgpu/status';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

async function decide(): Promise<string | null> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const probe = await probeWebGpu(true);
  if (probe.kind === 'adapter') return null;
  const why = webgpuStatus(probe, true).why;
  if (process.env.CI || process.env.SKIPSEG_REQUIRE_WEBGPU) {
    throw new Error(`the WebGPU tests need an adapter here: ${why}`);
  }
  console.warn(`skipping the WebGPU tests: ${why}`);
  return why;
}

/** Null where the WebGPU tests can run; else why not (see above). */
export const webgpuSkipReason: string | null = await decide();
