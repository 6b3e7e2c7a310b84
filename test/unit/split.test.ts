import { describe, expect, it } from 'vitest';
import type { LabelStatus, Split } from '../../shared/project';
import { assignSplits, valTarget, type SplitImage } from '../../shared/split';

function images(
  n: number,
  status: LabelStatus = 'labelled',
  split: Split = 'unassigned',
): SplitImage[] {
  return Array.from({ length: n }, (_, i) => ({ id: `img-${i}`, split, status }));
}

/** Applies assignSplits the way the project does. */
function apply(list: SplitImage[], seed = 0): SplitImage[] {
  const splits = assignSplits(list, seed);
  return list.map((im) => ({ ...im, split: splits.get(im.id) ?? im.split }));
}

const count = (list: SplitImage[], split: Split) => list.filter((im) => im.split === split).length;

describe('the train/validation split', () => {
  it('aims at about 20 % validation, at least one from two labelled images, never all', () => {
    expect([0, 1, 2, 3, 5, 8, 10, 100].map((n) => valTarget(n))).toEqual([0, 0, 1, 1, 1, 2, 2, 20]);
    expect(valTarget(2, 0.9)).toBe(1);
  });

  it('places only labelled and partly labelled images, about a fifth in validation', () => {
    const list = [
      ...images(40),
      ...images(10, 'partial').map((im) => ({ ...im, id: `p-${im.id}` })),
    ];
    list.push(...images(5, 'unlabelled').map((im) => ({ ...im, id: `u-${im.id}` })));
    const placed = apply(list);
    expect(count(placed, 'val')).toBe(10);
    expect(count(placed, 'train')).toBe(40);
    expect(
      placed.filter((im) => im.status === 'unlabelled').every((im) => im.split === 'unassigned'),
    ).toBe(true);
  });

  it('gives one labelled image to training and the second to validation', () => {
    const one = apply(images(1));
    expect(one[0]!.split).toBe('train');
    const two = apply([...one, { id: 'second', split: 'unassigned', status: 'partial' }]);
    expect(two.map((im) => im.split)).toEqual(['train', 'val']);
  });

  it('is stable: the same images in any order give the same splits; the seed changes them', () => {
    const list = images(30);
    const forward = assignSplits(list, 7);
    const backward = assignSplits([...list].reverse(), 7);
    expect([...backward.entries()].sort()).toEqual([...forward.entries()].sort());
    const other = assignSplits(list, 8);
    const valIds = (m: Map<string, string>) =>
      [...m]
        .filter(([, s]) => s === 'val')
        .map(([id]) => id)
        .sort();
    expect(valIds(other)).not.toEqual(valIds(forward));
    // Placed once, nothing moves when asked again.
    expect(assignSplits(apply(list, 7), 7).size).toBe(0);
  });

  it('never moves an image the user placed, and fills around it', () => {
    const list = images(10);
    list[0] = { ...list[0]!, split: 'val' };
    list[1] = { ...list[1]!, split: 'val' };
    list[2] = { ...list[2]!, split: 'val' };
    const splits = assignSplits(list);
    expect(splits.has('img-0') || splits.has('img-1') || splits.has('img-2')).toBe(false);
    // Validation already holds more than its 2: every new image trains.
    expect([...splits.values()].every((s) => s === 'train')).toBe(true);

    const userTrained = images(5, 'labelled', 'train');
    const more = [...userTrained, ...images(1).map((im) => ({ ...im, id: 'new' }))];
    expect(assignSplits(more).get('new')).toBe('val');
  });

  it('keeps adding validation images as labelled ones accumulate one by one', () => {
    let list: SplitImage[] = [];
    for (let i = 0; i < 20; i++)
      list = apply([...list, { id: `n${i}`, split: 'unassigned', status: 'labelled' }]);
    expect(count(list, 'val')).toBe(4);
    expect(count(list, 'train')).toBe(16);
  });
});
