import { describe, expect, it } from 'vitest';
import { BACKEND_IDS } from '../../shared/engineProtocol';
import { ThinnedCurve } from '../../src-main/fineTune/thinnedCurve';
import { MAX_SECONDS, MIN_SECONDS, chooseSeconds } from '../../src-main/fineTune/trainBudget';
import { scoreConfidence } from '../../src-main/engine/proposeJob';

describe('the automatic time budget', () => {
  it('is about a minute for a handful of small images on WebAssembly', () => {
    expect(chooseSeconds(3 * 32 * 32, 'wasm')).toBe(60);
    expect(chooseSeconds(4 * 256 * 256, 'wasm')).toBe(60);
  });

  it('grows with the square root of the data up to ten minutes', () => {
    expect(chooseSeconds(16 * 256 * 256, 'wasm')).toBe(120);
    expect(chooseSeconds(64 * 256 * 256, 'wasm')).toBe(240);
    expect(chooseSeconds(100 * 4 * 256 * 256, 'wasm')).toBe(MAX_SECONDS);
    expect(chooseSeconds(1e10, 'wasm')).toBe(MAX_SECONDS);
    const sizes = [1e4, 1e5, 1e6, 4e6, 1e7, 3e7, 1e8];
    const budgets = sizes.map((p) => chooseSeconds(p, 'wasm'));
    expect([...budgets].sort((a, b) => a - b)).toEqual(budgets);
  });

  it('is shorter on faster backends, rounded to 5 s and never under the minimum', () => {
    const pixels = 30 * 512 * 512;
    expect(chooseSeconds(pixels, 'tensorflow-gpu')).toBeLessThan(
      chooseSeconds(pixels, 'tensorflow'),
    );
    expect(chooseSeconds(pixels, 'tensorflow')).toBeLessThan(chooseSeconds(pixels, 'wasm'));
    expect(chooseSeconds(1000, 'tensorflow-gpu')).toBe(MIN_SECONDS);
    for (const backend of BACKEND_IDS) {
      for (const p of [1, 1e5, 1e6, 1e8]) expect(chooseSeconds(p, backend) % 5).toBe(0);
    }
  });
});

describe('a thinned curve', () => {
  it('keeps every point while short', () => {
    const history = new ThinnedCurve(300);
    for (let i = 0; i < 10; i++) history.add(i, 1 / (i + 1));
    history.add(10, Number.NaN);
    expect(history.points()).toHaveLength(10);
    expect(history.points()[3]).toEqual([3, 0.25]);
  });

  it('thins a long run to at most the limit by averaging, keeping the time order', () => {
    const history = new ThinnedCurve(300);
    for (let i = 0; i < 10_000; i++) history.add(i * 0.1, i % 2 === 0 ? 1 : 3);
    const points = history.points();
    expect(points.length).toBeLessThanOrEqual(300);
    expect(points.length).toBeGreaterThan(150);
    // Averaging pairs of steps smooths the alternating loss to its mean.
    expect(points.every(([, loss]) => Math.abs(loss - 2) < 1e-9)).toBe(true);
    const times = points.map(([t]) => t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)).toBeGreaterThan(990);
  });
});

describe('proposal scores', () => {
  it('are the mean top probability and the share of pixels under 0.75', () => {
    const scores = scoreConfidence(Float32Array.from([1, 0.5, 0.75, 0.25]));
    expect(scores.confidence).toBeCloseTo(0.625);
    expect(scores.uncertainShare).toBe(0.5);
    expect(scoreConfidence(new Float32Array(0))).toEqual({ confidence: 0, uncertainShare: 0 });
    expect(scoreConfidence(Float32Array.from([1.0000001, 1])).confidence).toBe(1);
  });
});
