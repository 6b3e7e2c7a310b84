/**
 * Every architecture trains on WebGPU (SwiftShader in CI) as on the other backends: a few
 * Adam steps on tiny data lower the loss and leak no tensor, and the saved model, loaded
 * again, predicts what the wasm backend predicts from the same files. Tiles are 16 pixels:
 * SwiftShader's step time grows fast with size.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCH_IDS, type ArchName } from '../../../shared/engineProtocol';
import { chooseBackend } from '../../../src-main/engine/backends';
import { segmentationLoss } from '../../../src-main/engine/loss';
import { buildModel } from '../../../src-main/engine/models';
import { loadModel, saveModel } from '../../../src-main/engine/modelStore';
import { tempDir } from '../../helpers/fixtures';
import { tinyUNetMeta } from '../../helpers/modelMeta';
import { webgpuSkipReason } from '../../helpers/webgpu';

const SIZE = 16;
const STEPS = 4;

/** Two images of a bright square on noise, and their masks (square = class 1). */
function squares(): { image: Float32Array; mask: Int32Array } {
  const image = new Float32Array(2 * SIZE * SIZE);
  const mask = new Int32Array(2 * SIZE * SIZE);
  let s = 11;
  for (let i = 0; i < image.length; i++) {
    const [r, c] = [Math.floor(i / SIZE) % SIZE, i % SIZE];
    s = (s * 1103515245 + 12345) % 2147483648;
    mask[i] = r >= 3 && r < 10 && c >= 5 && c < 13 ? 1 : 0;
    image[i] = 0.7 * mask[i]! + 0.3 * (s / 2147483648);
  }
  return { image, mask };
}

async function predict(dir: string): Promise<Float32Array> {
  const { model } = await loadModel(dir);
  const x = tf.tensor4d(squares().image, [2, SIZE, SIZE, 1]);
  const probs = model.predict(x) as tf.Tensor;
  const values = (await probs.data()) as Float32Array;
  tf.dispose([x, probs]);
  model.dispose();
  return values;
}

const temp = await tempDir();
const onWebGpu = new Map<ArchName, Float32Array>();

describe.skipIf(webgpuSkipReason !== null)('training on WebGPU', () => {
  beforeAll(async () => {
    await chooseBackend('webgpu');
  });

  afterAll(async () => {
    await tf.setBackend('cpu');
    await temp.remove();
  });

  it.each([...ARCH_IDS])('%s lowers its loss, leaks nothing, and saves', async (arch) => {
    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    const { image, mask } = squares();
    const x = tf.tensor4d(image, [2, SIZE, SIZE, 1]);
    const y = tf.tensor3d(mask, [2, SIZE, SIZE], 'int32');
    const model = buildModel(arch, { classes: 2, inputChannels: 1, base: 4, depth: 2 });
    const optimizer = tf.train.adam(2e-2);
    const losses: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      const loss = optimizer.minimize(
        () => segmentationLoss(model.apply(x, { training: true }) as tf.Tensor4D, y),
        true,
      )!;
      losses.push((await loss.data())[0]!);
      loss.dispose();
    }
    expect(losses.at(-1), losses.join(', ')).toBeLessThan(losses[0]!);

    const dir = join(temp.dir, arch);
    await saveModel(dir, model, tinyUNetMeta({ arch, depth: 2, classes: 2, backend: 'webgpu' }));
    onWebGpu.set(arch, await predict(dir));
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('predicts from the saved models what wasm predicts', async () => {
    await chooseBackend('wasm');
    for (const arch of ARCH_IDS) {
      const want = await predict(join(temp.dir, arch));
      const got = onWebGpu.get(arch)!;
      const worst = want.reduce((m, w, i) => Math.max(m, Math.abs(w - got[i]!)), 0);
      expect(worst, arch).toBeLessThan(1e-4);
    }
  });
});
