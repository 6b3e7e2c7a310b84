/**
 * The threaded SIMD wasm binary under plain Node: it starts with the thread count asked
 * for (even where XNNPACK would cap it at half the CPUs) and computes what cpu computes.
 * Its own file because a process can start the wasm backend only once.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmBinaryFolder, withPthreads } from '../../../src-main/engine/wasm/nodeRuntime';

describe('the threaded wasm binary under Node', () => {
  it('finds the binaries on disk', () => {
    for (const name of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      expect(existsSync(join(wasmBinaryFolder(), name))).toBe(true);
    }
  });

  it('starts two XNNPACK threads and matches the cpu backend', async () => {
    setWasmPaths(wasmBinaryFolder());
    setThreadsCount(2);
    const started = await withPthreads(2, () => tf.setBackend('wasm'));
    expect(started).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(2);

    const x = tf.randomUniform([2, 24, 24, 8], -1, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, 8, 16], -1, 1, 'float32', 2) as tf.Tensor4D;
    const onWasm = tf.conv2d(x, w, 1, 'same');
    const wasm = onWasm.dataSync().slice();
    const [xs, ws] = [x.dataSync().slice(), w.dataSync().slice()];
    tf.dispose([x, w, onWasm]);

    await tf.setBackend('cpu');
    const cpu = tf.tidy(() => {
      const [xc, wc] = [tf.tensor4d(xs, [2, 24, 24, 8]), tf.tensor4d(ws, [3, 3, 8, 16])];
      return tf.conv2d(xc, wc, 1, 'same').dataSync();
    });
    await tf.setBackend('wasm');
    let worst = 0;
    for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(wasm[i]! - cpu[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});
