/**
 * Conv2DBackpropFilter's SIMD loop on the single-threaded wasm binary, whose memory is not
 * shared (no worker threads; the module imports the memory the binary exports), against
 * the XNNPACK conv it replaced. Its own file: the thread count is fixed when wasm starts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterGradTuning } from '../../../src-main/engine/wasm/conv2dBackpropFilter';
import {
  filterGradBands,
  filterGradWorkers,
  simdFilterGrad,
  simdTuning,
} from '../../../src-main/engine/wasm/filterGradSimd';
import { initWasm } from '../../../src-main/engine/wasm/setup';

beforeAll(async () => {
  expect((await initWasm({ threads: 1 })).threads).toBe(1);
});

describe('Conv2DBackpropFilter on single-threaded wasm', () => {
  it('runs the SIMD loop, in bands, on the calling thread', () => {
    const [xs, ws] = [
      [2, 21, 19, 8],
      [3, 3, 8, 12],
    ] as [number[], number[]];
    const info = tf.backend_util.computeConv2DInfo(
      xs as [number, number, number, number],
      ws as [number, number, number, number],
      2,
      1,
      'same',
    );
    expect(filterGradWorkers(tf.backend()).workers).toBe(0);
    const saved = simdTuning.bandBytes;
    simdTuning.bandBytes = 3 * 4 * (info.outWidth * 12 + 2 * info.inWidth * 8);
    try {
      expect(filterGradBands(info)).toEqual({ rows: 22, band: 3, bands: 8 });
      const [simd, xnnpack] = tf.tidy(() => {
        const x = tf.randomNormal(xs);
        const dy = tf.randomNormal(info.outShape);
        const direct = simdFilterGrad(tf.backend(), x, dy, info);
        expect(direct).not.toBeNull();
        tf.backend().disposeData(direct!.dataId);
        const attrs = { strides: 2, pad: 'same', filterShape: ws, dilations: 1 };
        const run = () =>
          (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor)
            .dataSync()
            .slice();
        const a = run();
        filterGradTuning.simd = false;
        return [a, run()];
      });
      let [diff, scale] = [0, 1e-6];
      for (let i = 0; i < simd.length; i++) {
        diff = Math.max(diff, Math.abs(simd[i]! - xnnpack[i]!));
        scale = Math.max(scale, Math.abs(xnnpack[i]!));
      }
      expect(diff / scale).toBeLessThan(1e-5);
    } finally {
      simdTuning.bandBytes = saved;
      filterGradTuning.simd = true;
    }
  });
});
