/**
 * Memory estimates and the batch and tile sized from them: estimates grow with batch and tile,
 * automatic sizes fit the budget, and a size that cannot fit is refused in one sentence
 * before training starts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainSpec } from '../../../shared/engineProtocol';
import {
  footprintFor,
  inferenceBytes,
  trainingBytes,
  type ModelFootprint,
} from '../../../src-main/engine/memory';
import { WASM_USABLE_BYTES, memoryBudget } from '../../../src-main/engine/memoryBudget';
import { train } from '../../../src-main/engine/train';
import {
  AUTO_FILL,
  MAX_AUTO_BATCH,
  chooseTrainSize,
  type TrainSizeRequest,
} from '../../../src-main/engine/trainSize';
import { tempDir } from '../../helpers/fixtures';
import { writeSquares } from '../../helpers/squares';

const GB = 1e9;
let unet: ModelFootprint;

beforeAll(async () => {
  await tf.setBackend('cpu');
  unet = footprintFor('unet', { classes: 2, inputChannels: 1, base: 16, depth: 4 });
});

describe('memory estimates', () => {
  it('grow with batch and tile, and training needs more than inference', () => {
    const at = (batch: number, tile: number) => trainingBytes(unet, batch, tile).total;
    expect(at(2, 256)).toBeGreaterThan(at(1, 256));
    expect(at(8, 256)).toBeGreaterThan(at(4, 256));
    expect(at(4, 256)).toBeGreaterThan(at(4, 128));
    // Activations scale with the pixels: four times the pixels, four times the activations.
    const ratio = trainingBytes(unet, 2, 256).activations / trainingBytes(unet, 2, 128).activations;
    expect(ratio).toBeCloseTo(4, 5);
    expect(inferenceBytes(unet, 4, 256).total).toBeLessThan(at(4, 256));
  });

  it('count every weight, and its gradient and moments when training', () => {
    expect(unet.trainableParams + unet.fixedParams).toBeGreaterThan(1e6);
    const train = trainingBytes(unet, 1, 16).weights;
    expect(train).toBe(4 * (4 * unet.trainableParams + unet.fixedParams));
  });

  it('leak no tensor while building the throwaway model', () => {
    const before = tf.memory().numTensors;
    footprintFor('unet-res', { classes: 3, inputChannels: 3, base: 8, depth: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('budgets', () => {
  it('give wasm 3 GiB of its 4 GiB heap, or less on a small machine', () => {
    const big = { free: 32 * GB, total: 64 * GB };
    expect(memoryBudget('wasm', big).bytes).toBe(WASM_USABLE_BYTES);
    expect(memoryBudget('wasm', { free: 2 * GB, total: 8 * GB }).bytes).toBe(1.5 * GB);
    expect(memoryBudget('cpu', big).bytes).toBe(24 * GB);
    expect(memoryBudget('tensorflow', big).why).toContain('free');
  });
});

describe('sizing batch and tile', () => {
  const budget = memoryBudget('wasm', { free: 32 * GB, total: 64 * GB });
  // A function: the footprint is built in beforeAll, after this block is collected.
  const ask = (more: Partial<TrainSizeRequest> & Pick<TrainSizeRequest, 'batch' | 'tile'>) =>
    chooseTrainSize({ footprint: unet, depth: 4, imageSide: 512, budget, what: 'unet', ...more });

  it.each([0.3, 1, 3])('picks a size that fits %s GB, tile first', (gb) => {
    const small = { ...budget, bytes: gb * GB };
    const size = ask({ budget: small, batch: null, tile: null });
    expect(size.isAuto).toBe(true);
    expect(size.estimate.total).toBeLessThanOrEqual(small.bytes * AUTO_FILL);
    expect(size.tile % 16).toBe(0);
    expect(size.batch).toBeGreaterThanOrEqual(2);
    // Nothing larger fits: one more image, or the next tile with the batch of 2 preferred.
    const room = small.bytes * AUTO_FILL;
    const fits = (b: number, t: number) => trainingBytes(unet, b, t).total <= room;
    if (size.batch < MAX_AUTO_BATCH) expect(fits(size.batch + 1, size.tile)).toBe(false);
    if (size.tile < 256) expect(fits(2, size.tile + 16)).toBe(false);
  });

  it('takes tile 256 and batch 4 where memory allows, no tile over the images', () => {
    const roomy = { ...budget, bytes: 100 * GB };
    expect(ask({ budget: roomy, batch: null, tile: null })).toMatchObject({
      batch: MAX_AUTO_BATCH,
      tile: 256,
    });
    const small = ask({ budget: roomy, imageSide: 100, batch: null, tile: null });
    expect(small.tile).toBe(96);
  });

  it('fills in the missing one of batch and tile', () => {
    const byBatch = ask({ batch: 1, tile: null });
    expect(byBatch).toMatchObject({ batch: 1, tile: 256 });
    const byTile = ask({ batch: null, tile: 64 });
    expect(byTile).toMatchObject({ batch: MAX_AUTO_BATCH, tile: 64 });
  });

  it('refuses an absurd batch with the estimate, the budget and what to lower', () => {
    const refuse = () => ask({ batch: 512, tile: 256 });
    expect(refuse).toThrow(/^batch 512 at tile 256 needs about [\d.]+ GB to train unet/);
    expect(refuse).toThrow(/more than the 3\.2 GB the wasm backend has \(its 32-bit heap/);
    expect(refuse).toThrow(/; lower --batch to \d or --tile, or leave --batch and --tile out/);
  });
});

describe('training with a size that cannot fit', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir();
    await writeSquares(tmp.dir, 2);
  });
  afterAll(() => tmp.remove());

  it('is refused before the first step, and nothing is written', async () => {
    const spec: TrainSpec = {
      train: { images: join(tmp.dir, 'images'), masks: join(tmp.dir, 'masks') },
      val: { fraction: 0.5 },
      arch: 'unet',
      base: 16,
      depth: 4,
      seconds: null,
      epochs: 1,
      batch: 100_000,
      tile: 256,
      seed: 1,
      learningRate: 1e-3,
      out: join(tmp.dir, 'model'),
      init: null,
    };
    const before = tf.memory().numTensors;
    let steps = 0;
    const hooks = { backend: 'wasm' as const, log: () => {}, isCancelled: () => false };
    const run = train(spec, { ...hooks, onProgress: () => steps++ });
    await expect(run).rejects.toMatchObject({
      code: 'TOO_BIG_FOR_MEMORY',
      message: expect.stringMatching(/^batch 100000 at tile 256 needs about .*; lower --/),
    });
    expect(steps).toBe(0);
    expect(existsSync(spec.out)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
