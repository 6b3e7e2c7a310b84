import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/ipc';
import { countByStatus, filterImages, neighbourId, shownImages } from './navigation';

const image = (id: string, status: ImageSummary['status']): ImageSummary => ({
  id,
  name: `${id}.png`,
  width: 4,
  height: 4,
  channels: 1,
  bitDepth: 8,
  split: 'unassigned',
  status,
  proposal: null,
});
const images = [
  image('a', 'labelled'),
  image('b', 'unlabelled'),
  image('c', 'partial'),
  image('d', 'unlabelled'),
];

describe('image navigation', () => {
  it('filters by status and counts each', () => {
    expect(filterImages(images, 'unlabelled').map((im) => im.id)).toEqual(['b', 'd']);
    expect(filterImages(images, 'all')).toHaveLength(4);
    expect(countByStatus(images)).toEqual({
      all: 4,
      unlabelled: 2,
      partial: 1,
      labelled: 1,
      proposal: 0,
    });
  });

  it('steps within the shown list without wrapping', () => {
    expect(neighbourId(images, 'b', 1)).toBe('c');
    expect(neighbourId(images, 'b', -1)).toBe('a');
    expect(neighbourId(images, 'a', -1)).toBeNull();
    expect(neighbourId(images, 'd', 1)).toBeNull();
    expect(neighbourId(filterImages(images, 'unlabelled'), 'a', 1)).toBe('b');
    expect(neighbourId([], 'a', 1)).toBeNull();
  });
});

describe('review queue', () => {
  it('filters to images with a proposal and orders them least confident first', () => {
    const proposal = (confidence: number) => ({ modelId: 'm', confidence, uncertainShare: 0.1 });
    const queue = [
      { ...image('a', 'unlabelled'), proposal: proposal(0.9) },
      image('b', 'labelled'),
      { ...image('c', 'partial'), proposal: proposal(0.4) },
    ];
    expect(shownImages(queue, 'proposal', 'confidence').map((im) => im.id)).toEqual(['c', 'a']);
    expect(shownImages(queue, 'all', 'confidence').map((im) => im.id)).toEqual(['c', 'a', 'b']);
    expect(shownImages(queue, 'all', 'project').map((im) => im.id)).toEqual(['a', 'b', 'c']);
    expect(countByStatus(queue).proposal).toBe(2);
  });
});
