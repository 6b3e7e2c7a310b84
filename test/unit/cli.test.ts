import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTable, type CompareRow } from '../../src-main/compare';
import { benchSetup } from '../../src-main/cliMeasure';
import { Project } from '../../src-main/project/project';
import { ensureSampleProject } from '../../src-main/sample';
import { tempDir } from '../helpers/fixtures';
import { writeSquares } from '../helpers/squares';
import { webgpuSkipReason } from '../helpers/webgpu';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'skipseg.mjs');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SKIPSEG_LOG: 'warn' },
  });
  return { code: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
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
    [['bench', '--runs', '0'], '--runs: "0" is not a whole number of runs'],
    [['compare', '--arch', 'unet'], 'compare takes --archs (a comma-separated list or all)'],
    [['compare', '--archs', 'unet,vgg'], '--arch: unknown architecture "vgg"'],
    [['bench', '--size', '100'], '--size: 100 must be a multiple of 2^depth = 16'],
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

describe('skipseg bench', () => {
  interface BenchJson {
    backend: string;
    results: {
      arch: string;
      predictMsPerImage: number;
      trainMsPerImage: number;
      leakedTensors: number;
      trainPeakBytes: number;
      trainEstimatedBytes: number;
    }[];
  }

  function bench(backend: string): BenchJson {
    const args = ['--arch', 'fcn8s', '--size', '16', '--batch', '1', '--runs', '1', '--json'];
    const { code, out, stdout } = run('bench', '--backend', backend, ...args);
    expect(code, out).toBe(0);
    return JSON.parse(stdout) as BenchJson;
  }

  it('times predict and train on wasm and leaks no tensor', () => {
    const report = bench('wasm');
    expect(report.backend).toBe('wasm');
    const [row] = report.results;
    expect(row?.arch).toBe('fcn8s');
    expect(row?.predictMsPerImage).toBeGreaterThan(0);
    expect(row?.trainMsPerImage).toBeGreaterThan(row!.predictMsPerImage);
    expect(row?.leakedTensors).toBe(0);
    // The peak holds at least the batch and the weights; the memory model's estimate is beside it.
    expect(row?.trainPeakBytes).toBeGreaterThan(4 * 16 * 16 + 4 * 1_000_000);
    expect(row?.trainEstimatedBytes).toBeGreaterThan(0);
  });

  it.skipIf(webgpuSkipReason)('runs on the software WebGPU adapter', () => {
    const report = bench('webgpu');
    expect(report.backend).toBe('webgpu');
    expect(report.results[0]?.trainMsPerImage).toBeGreaterThan(0);
    expect(report.results[0]?.leakedTensors).toBe(0);
  });

  it('benches U-Net alone, small, on a software adapter unless told otherwise', () => {
    const soft = benchSetup({}, 4, true);
    expect(soft).toMatchObject({ archs: ['unet'], size: 64, batch: 1, runs: 1 });
    expect(soft.shrunk).toMatch(/software adapter/);
    const gpu = benchSetup({}, 4, false);
    expect(gpu).toMatchObject({ size: 256, batch: 4, runs: 3, shrunk: null });
    expect(gpu.archs).toHaveLength(5);
    const asked = benchSetup({ size: '128' }, 4, true);
    expect(asked).toMatchObject({ size: 128, batch: 4, runs: 1, shrunk: null });
    expect(asked.archs).toHaveLength(5);
  });
});

describe('skipseg compare', () => {
  it("compares on a project's labels, by its split, into its comparisons folder", async () => {
    const tmp = await tempDir();
    try {
      const { dir } = await ensureSampleProject(
        tmp.dir,
        join(import.meta.dirname, '..', '..', 'assets'),
      );
      const stray = run('compare', '--project', dir, '--images', 'x', '--archs', 'fcn8s');
      expect(stray.out).toContain('--images does not go with --project');
      const args = ['--archs', 'fcn8s', '--epochs', '1', '--tile', '32', '--backend', 'wasm'];
      const { code, out, stdout } = run('compare', '--project', dir, ...args, '--json');
      expect(code, out).toBe(0);
      const { rows } = JSON.parse(stdout) as { rows: CompareRow[] };
      const [made] = await readdir(join(dir, 'comparisons'));
      expect(rows[0]?.model).toBe(join(dir, 'comparisons', made!, 'fcn8s'));
      // The sample's labelled images that the project's split holds out, predicted.
      const project = await Project.open(dir);
      const held = project
        .listImages()
        .filter((im) => im.split === 'val' && im.status !== 'unlabelled');
      expect(held.length).toBeGreaterThan(0);
      expect((await readdir(rows[0]!.masks!)).sort()).toEqual(
        held.map((im) => basename(project.image(im.id).file)).sort(),
      );
    } finally {
      await tmp.remove();
    }
  });

  it('trains each architecture on the same data; writes the table, masks and report', async () => {
    const tmp = await tempDir();
    try {
      await writeSquares(join(tmp.dir, 'train'), 3);
      await writeSquares(join(tmp.dir, 'val'), 2);
      const out = join(tmp.dir, 'cmp');
      const {
        code,
        out: printed,
        stdout,
      } = run(
        'compare',
        ...[
          '--images',
          join(tmp.dir, 'train', 'images'),
          '--masks',
          join(tmp.dir, 'train', 'masks'),
        ],
        ...[
          '--val-images',
          join(tmp.dir, 'val', 'images'),
          '--val-masks',
          join(tmp.dir, 'val', 'masks'),
        ],
        ...['--archs', 'encdec,unet', '--epochs', '1', '--tile', '16', '--backend', 'wasm'],
        ...['--out', out, '--json'],
      );
      expect(code, printed).toBe(0);
      const { rows } = JSON.parse(stdout) as { rows: CompareRow[] };
      expect(rows.map((r) => [r.arch, r.skips])).toEqual([
        ['encdec', 'none'],
        ['unet', 'concatenated, every level'],
      ]);
      for (const row of rows) {
        expect(row).toMatchObject({ epochs: 1, tile: 16, model: join(out, row.arch) });
        expect(row.val?.miou).toBeGreaterThanOrEqual(0);
        expect(row.val?.boundaryF1).not.toBeUndefined();
        // Masks for the validation images, named as they are.
        expect((await readdir(row.masks!)).sort()).toEqual(['0.png', '1.png']);
      }
      const report = JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')) as {
        rows: CompareRow[];
      };
      expect(report.rows).toEqual(rows);
      const table = compareTable(rows);
      expect(table[0]).toMatch(/^arch +skips +mIoU +bound\.F1/);
      expect(table[1]).toMatch(/^encdec +none +\d\.\d{3}/);
    } finally {
      await tmp.remove();
    }
  });
});
