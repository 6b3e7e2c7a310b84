import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';
import { writeSquares } from '../helpers/squares';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'skipseg.mjs');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SKIPSEG_LOG: 'warn' },
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('the skipseg command', () => {
  it.each([
    [['train', '--masks', 'x', '--out', 'y'], 'skipseg train: --images is required'],
    [
      ['train', '--images', 'a', '--masks', 'b', '--out', 'c', '--arch', 'vgg'],
      '--arch: unknown architecture "vgg"',
    ],
    [
      ['train', '--images', 'a', '--masks', 'b', '--out', 'c', '--tile', '100'],
      '--tile: 100 must be a multiple of 2^depth = 16',
    ],
    [
      ['train', '--images', 'a', '--masks', 'b', '--out', 'c', '--seconds', 'soon'],
      '--seconds: "soon" is not between',
    ],
    [
      ['eval', '--model', '/nonexistent', '--images', 'a', '--masks', 'b', '--backend', 'cpu'],
      'not a SkipSeg model',
    ],
    [['bench', '--backend', 'quantum'], 'unknown backend "quantum"'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('%j fails with one clear sentence', (args, message) => {
    const { code, out } = run(...args);
    expect(code).toBe(1);
    expect(out).toContain(message);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('refuses a batch that cannot fit before training: estimate, budget, fix', async () => {
    const tmp = await tempDir();
    try {
      await writeSquares(tmp.dir, 2);
      const [images, masks, out] = ['images', 'masks', 'model'].map((d) => join(tmp.dir, d));
      const args = ['--images', images!, '--masks', masks!, '--out', out!, '--backend', 'wasm'];
      const { code, out: printed } = run('train', ...args, '--batch', '100000');
      expect(code).toBe(1);
      expect(printed).toMatch(
        new RegExp(
          'skipseg train: batch 100000 at tile 16 needs about [\\d.]+ GB to train unet ' +
            '\\(base 16, depth 4\\), more than the [\\d.]+ GB the wasm backend has .*; ' +
            'lower --',
        ),
      );
      expect(printed).not.toMatch(/epoch/);
    } finally {
      await tmp.remove();
    }
  });
});
