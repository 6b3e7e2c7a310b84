import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src-main/engine/models';
import { loadModel, saveModel } from '../../../src-main/engine/modelStore';
import { tempDir } from '../../helpers/fixtures';
import { tinyUNetMeta } from '../../helpers/modelMeta';

const meta = tinyUNetMeta();

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

describe('model folders', () => {
  it('round-trips a model: identical predictions, one weights file, no leaks', async () => {
    const before = tf.memory().numTensors;
    const model = buildModel('unet', { classes: 3, inputChannels: 1, base: 4, depth: 2 });
    const x = tf.randomNormal([1, 16, 16, 1]);
    const first = model.predict(x) as tf.Tensor;
    const expected = first.arraySync();
    first.dispose();
    await saveModel(tmp.dir, model, meta);
    await saveModel(tmp.dir, model, meta);
    model.dispose();
    expect((await readdir(tmp.dir)).filter((n) => n.endsWith('.bin'))).toHaveLength(1);

    const loaded = await loadModel(tmp.dir);
    expect(loaded.meta).toEqual(meta);
    const y = loaded.model.predict(x) as tf.Tensor;
    expect(y.arraySync()).toEqual(expected);
    tf.dispose([x, y]);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses weight paths that leave the folder', async () => {
    const model = buildModel('unet', { classes: 3, inputChannels: 1, base: 4, depth: 2 });
    await saveModel(tmp.dir, model, meta);
    model.dispose();
    const file = join(tmp.dir, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    await writeFile(file, JSON.stringify(json));
    await expect(loadModel(tmp.dir)).rejects.toThrow(
      'weight path "../../etc/passwd" leaves the model folder',
    );
  });

  it('names the problem in a bad skipseg-model.json and a shape mismatch', async () => {
    await expect(loadModel(tmp.dir)).rejects.toMatchObject({ code: 'NO_MODEL' });
    const model = buildModel('unet', { classes: 3, inputChannels: 1, base: 4, depth: 2 });
    await saveModel(tmp.dir, model, { ...meta, classes: 4 });
    model.dispose();
    await expect(loadModel(tmp.dir)).rejects.toThrow(
      /gives 3 classes, but skipseg-model.json says 1 and 4/,
    );
    await writeFile(join(tmp.dir, 'skipseg-model.json'), JSON.stringify({ ...meta, classes: 1 }));
    await expect(loadModel(tmp.dir)).rejects.toThrow(/classes: /);
  });
});
