import { describe, expect, it } from 'vitest';
import { NOT_LABELLED } from '../../../shared/project';
import { createTestEditor } from '../testDriver';

describe('accept brush', () => {
  it('takes the proposal under the stroke, only where the mask is not labelled', () => {
    const driver = createTestEditor(20, 10, { fill: NOT_LABELLED });
    // The user labelled column 10 as class 1; the model proposes class 2 everywhere.
    for (let y = 0; y < 10; y++) driver.mask[y * 20 + 10] = 1;
    driver.core.setProposal(new Uint8Array(200).fill(2));
    driver.stroke(
      [
        { x: 2.5, y: 5.5 },
        { x: 17.5, y: 5.5 },
      ],
      { tool: 'accept', radius: 1 },
    );

    expect(driver.pixel(5, 5)).toBe(2);
    expect(driver.pixel(10, 5)).toBe(1);
    expect(driver.pixel(5, 0)).toBe(NOT_LABELLED);
    driver.key('z', { ctrlKey: true });
    expect(driver.pixel(5, 5)).toBe(NOT_LABELLED);
  });

  it('does nothing without a proposal', () => {
    const driver = createTestEditor(8, 8, { fill: NOT_LABELLED });
    driver.stroke([{ x: 4, y: 4 }], { tool: 'accept', radius: 3 });
    expect(driver.mask.every((v) => v === NOT_LABELLED)).toBe(true);
    expect(driver.core.canUndo).toBe(false);
  });
});
