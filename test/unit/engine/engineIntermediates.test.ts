/**
 * The intermediates job through the real engine process, as the comparison view will call it:
 * the names the model declares, the right shapes, a concatenation as wide as its two inputs,
 * and an addition equal to the sum of its inputs, all arriving as Float32Arrays.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntermediatesResult, IntermediatesSpec } from '../../../shared/engineProtocol';
import { EngineClient } from '../../../src-main/engine/client';
import { loadModel } from '../../../src-main/engine/modelStore';
import { intermediateNames } from '../../../src-main/engine/models';
import { tempDir, writeImage } from '../../helpers/fixtures';
import { saveTinyModel } from '../../helpers/tinyModels';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let image: string;
const engine = new EngineClient({ backend: 'wasm' });
const [WIDTH, HEIGHT] = [36, 20];

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = await tempDir();
  image = join(tmp.dir, 'image.png');
  await writeImage(image, { width: WIDTH, height: HEIGHT, channels: 1, format: 'png' });
  await saveTinyModel(join(tmp.dir, 'unet'), 'unet', 3);
  await saveTinyModel(join(tmp.dir, 'unet-res'), 'unet-res', 3);
});
afterAll(async () => {
  await engine.stop();
  await tmp.remove();
});

async function intermediates(spec: IntermediatesSpec): Promise<IntermediatesResult> {
  const done = await (await engine.run({ kind: 'intermediates', spec })).result;
  if (done.kind !== 'intermediates') throw new Error(`got a ${done.kind} result`);
  return done.result;
}

async function declaredNames(dir: string): Promise<string[]> {
  const { model, meta } = await loadModel(dir);
  try {
    return intermediateNames(model, meta.arch);
  } finally {
    model.dispose();
  }
}

describe.each(['unet', 'unet-res'] as const)('%s intermediates from the engine', (arch) => {
  it('has the declared names, each map at its stride, and fuses as the model says', async () => {
    const model = join(tmp.dir, arch);
    const result = await intermediates({ model, image, maxChannels: 1000 });
    expect(result.available).toEqual(await declaredNames(model));
    expect(result.tensors.map((t) => t.name)).toEqual(result.available);

    const maps = new Map(result.tensors.map((t) => [t.name, t]));
    for (const level of [0, 1, 2]) {
      const [encoder, upsampled, fused] = ['encoder', 'upsampled', 'fused'].map((role) =>
        maps.get(`skip${level}/${role}`)!,
      );
      const [h, w] = [Math.ceil(HEIGHT / 2 ** level), Math.ceil(WIDTH / 2 ** level)];
      const width = 4 * 2 ** level;
      expect(encoder!.shape).toEqual([1, h, w, width]);
      expect(upsampled!.shape).toEqual([1, h, w, width]);
      expect(fused!.values).toBeInstanceOf(Float32Array);
      expect(fused!.values).toHaveLength(h * w * fused!.shape[3]);

      if (arch === 'unet') {
        expect(fused).toMatchObject({ fusion: 'concat', shape: [1, h, w, 2 * width] });
      } else {
        expect(fused).toMatchObject({ fusion: 'add', shape: [1, h, w, width] });
        let worst = 0;
        fused!.values.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - encoder!.values[i]! - upsampled!.values[i]!));
        });
        expect(worst).toBeLessThan(1e-5);
      }
    }
  });
});

describe('a concatenating skip, by channel', () => {
  it('holds the encoder feature first, then the upsampled decoder feature', async () => {
    const names = ['skip1/encoder', 'skip1/upsampled', 'skip1/fused'];
    const spec = { model: join(tmp.dir, 'unet'), image, names, maxChannels: 1000 };
    const [encoder, upsampled, fused] = (await intermediates(spec)).tensors;
    const [ce, cd] = [encoder!.shape[3], upsampled!.shape[3]];
    const expected = new Float32Array(fused!.values.length);
    for (let p = 0; p < encoder!.meanAbs.length; p++) {
      expected.set(encoder!.values.subarray(p * ce, (p + 1) * ce), p * (ce + cd));
      expected.set(upsampled!.values.subarray(p * cd, (p + 1) * cd), p * (ce + cd) + ce);
    }
    expect(fused!.values).toEqual(expected);
  });
});
