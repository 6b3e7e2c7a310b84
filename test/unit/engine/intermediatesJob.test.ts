/**
 * The intermediates job in this process, where tfjs's tensor count can be watched: maps cover
 * the image at their stride with the padding cut off, channels are capped with a mean map of
 * all of them, fusions hold, odd requests are refused, and nothing leaks.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntermediateTensor } from '../../../shared/engineProtocol';
import { runIntermediates } from '../../../src-main/engine/intermediatesJob';
import { tempDir, writeImage } from '../../helpers/fixtures';
import { saveTinyModel } from '../../helpers/tinyModels';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let image: string;
const [WIDTH, HEIGHT] = [30, 22];

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = await tempDir();
  image = join(tmp.dir, 'image.png');
  await writeImage(image, { width: WIDTH, height: HEIGHT, channels: 1, format: 'png' });
  await saveTinyModel(join(tmp.dir, 'unet'), 'unet');
  await saveTinyModel(join(tmp.dir, 'fcn8s'), 'fcn8s');
});
afterAll(() => tmp.remove());

function byName(tensors: IntermediateTensor[]): Map<string, IntermediateTensor> {
  return new Map(tensors.map((t) => [t.name, t]));
}

describe('the intermediates job', () => {
  it('covers the image at each level, first channels and a mean map, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const result = await runIntermediates({ model: join(tmp.dir, 'unet'), image }, 'cpu');
    expect(tf.memory().numTensors).toBe(before);

    expect(result).toMatchObject({ arch: 'unet', width: WIDTH, height: HEIGHT });
    expect(result.tensors.map((t) => t.name)).toEqual(result.available);
    for (const t of result.tensors) {
      const [h, w] = [Math.ceil(HEIGHT / 2 ** t.level), Math.ceil(WIDTH / 2 ** t.level)];
      expect(t.shape.slice(0, 3), t.name).toEqual([1, h, w]);
      expect(t.channelsSent).toBe(Math.min(4, t.shape[3]));
      expect(t.values).toHaveLength(h * w * t.channelsSent);
      expect(t.meanAbs).toHaveLength(h * w);
      expect(t.values.buffer.byteLength).toBe(t.values.byteLength);
    }
  });

  it('gives every channel when asked, and the mean map is their mean |x|', async () => {
    const spec = { model: join(tmp.dir, 'unet'), image, names: ['skip1/fused'], maxChannels: 99 };
    const [fused] = (await runIntermediates(spec, 'cpu')).tensors;
    expect(fused).toMatchObject({ name: 'skip1/fused', role: 'fused', level: 1, fusion: 'concat' });
    const c = fused!.shape[3];
    expect(fused!.channelsSent).toBe(c);
    for (const p of [0, 7, fused!.meanAbs.length - 1]) {
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.abs(fused!.values[p * c + k]!);
      expect(fused!.meanAbs[p]).toBeCloseTo(sum / c, 5);
    }
  });

  it("sends only the mean map for maxChannels 0, and takes the caller's pixels", async () => {
    const data = Uint8Array.from({ length: 20 * 12 }, (_, i) => (i * 13) % 256);
    const pixels = { width: 20, height: 12, channels: 1 as const, data };
    const spec = { model: join(tmp.dir, 'fcn8s'), image: pixels, maxChannels: 0 };
    const result = await runIntermediates(spec, 'cpu');
    const fused = byName(result.tensors).get('skip0/fused')!;
    expect(fused).toMatchObject({ fusion: 'add', channelsSent: 0, shape: [1, 12, 20, 2] });
    expect(fused.values).toHaveLength(0);
    expect(fused.meanAbs).toHaveLength(12 * 20);
  });

  it('refuses names the model does not declare, and pixels that do not add up', async () => {
    const before = tf.memory().numTensors;
    const model = join(tmp.dir, 'unet');
    const unknown = runIntermediates({ model, image, names: ['skip9/fused'] }, 'cpu');
    await expect(unknown).rejects.toMatchObject({
      code: 'UNKNOWN_INTERMEDIATE',
      message: expect.stringMatching(/no intermediate skip9\/fused; it has skip0\/encoder, /),
    });
    const bad = { width: 4, height: 4, channels: 1 as const, data: new Uint8Array(15) };
    await expect(runIntermediates({ model, image: bad }, 'cpu')).rejects.toMatchObject({
      code: 'BAD_IMAGE',
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an image too large for the backend, naming a crop that fits', async () => {
    const side = 8192;
    const data = new Uint8Array(side * side);
    const huge = { width: side, height: side, channels: 1 as const, data };
    const spec = { model: join(tmp.dir, 'unet'), image: huge };
    await expect(runIntermediates(spec, 'wasm')).rejects.toMatchObject({
      code: 'TOO_BIG_FOR_MEMORY',
      message: expect.stringMatching(
        new RegExp(
          '^the intermediates of this 8192×8192 image need about [\\d.]+ GB, more than ' +
            'the [\\d.]+ GB the wasm backend has .*; send a crop of at most (\\d+)×\\1 pixels$',
        ),
      ),
    });
  });
});
