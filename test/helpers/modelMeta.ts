/** A valid skipseg-model.json for a tiny grey U-Net, for tests that need model metadata. */
import { MODEL_META_VERSION, type ModelMeta } from '../../shared/modelMeta';

export function tinyUNetMeta(overrides: Partial<ModelMeta> = {}): ModelMeta {
  return {
    version: MODEL_META_VERSION,
    arch: 'unet',
    base: 4,
    depth: 2,
    norm: 'batch',
    classes: 3,
    inputChannels: 1,
    normalisation: { mean: 0.5, std: 0.2 },
    tile: 16,
    createdAt: '2026-12-04T00:00:00Z',
    dataFingerprint: 'abc',
    trainImages: 2,
    backend: 'cpu',
    seconds: 1,
    epochs: 1,
    val: null,
    ...overrides,
  };
}
