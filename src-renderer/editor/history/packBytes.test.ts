import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testReference';
import { packBytes, unpackBytes } from './packBytes';

describe('packBytes', () => {
  it('round-trips runs, long runs, noise and empty input', () => {
    const random = seededRandom(31);
    const inputs = [
      new Uint8Array(0),
      Uint8Array.of(7),
      new Uint8Array(4096).fill(3),
      new Uint8Array(1000).fill(255),
      Uint8Array.from({ length: 777 }, () => random() * 256),
      Uint8Array.from({ length: 2000 }, (_, i) => Math.floor(i / 300) % 3),
    ];
    for (const raw of inputs) {
      const copy = raw.slice();
      expect(unpackBytes(packBytes(raw))).toEqual(copy);
    }
  });

  it('codes runs only when that is smaller, splitting runs longer than 256', () => {
    const uniform = packBytes(new Uint8Array(600).fill(9));
    expect(uniform.isRunLength).toBe(true);
    expect(Array.from(uniform.bytes)).toEqual([255, 9, 255, 9, 87, 9]);

    const noise = Uint8Array.from({ length: 64 }, (_, i) => i);
    const packed = packBytes(noise);
    expect(packed.isRunLength).toBe(false);
    expect(packed.bytes).toBe(noise);
  });
});
