/** Untrained tiny models saved as model folders, for tests of jobs that load one. */
import type { ArchName } from '../../shared/engineProtocol';
import { buildModel } from '../../src-main/engine/models';
import { saveModel } from '../../src-main/engine/modelStore';
import { tinyUNetMeta } from './modelMeta';

/** Saves a grey, 2-class `arch` of base 4 and `depth` to `dir` on the active tfjs backend. */
export async function saveTinyModel(dir: string, arch: ArchName, depth = 2): Promise<void> {
  const meta = tinyUNetMeta({ arch, depth, classes: 2 });
  const model = buildModel(arch, { classes: 2, inputChannels: 1, base: 4, depth });
  try {
    await saveModel(dir, model, meta);
  } finally {
    model.dispose();
  }
}
