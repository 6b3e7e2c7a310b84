/** Which images the list shows and which one comes next: pure, so unit-tested. */
import type { ImageSummary } from '../../shared/ipc';
import { orderByConfidence } from '../../shared/proposals';
import type { ListOrder, StatusFilter } from './editorStore';

export const STATUS_WORDS: Record<ImageSummary['status'], string> = {
  unlabelled: 'not labelled',
  partial: 'partly labelled',
  labelled: 'labelled',
};

export const FILTER_WORDS: Record<StatusFilter, string> = {
  all: 'all images',
  ...STATUS_WORDS,
  proposal: 'with a proposal',
};

export function filterImages(images: readonly ImageSummary[], filter: StatusFilter) {
  if (filter === 'all') return images;
  if (filter === 'proposal') return images.filter((im) => im.proposal !== null);
  return images.filter((im) => im.status === filter);
}

/** The list as shown: filtered, then in project order or least confident first. */
export function shownImages(
  images: readonly ImageSummary[],
  filter: StatusFilter,
  order: ListOrder,
): readonly ImageSummary[] {
  const filtered = filterImages(images, filter);
  return order === 'confidence' ? orderByConfidence(filtered) : filtered;
}

/**
 * The image `step` places from `current` in `images` (no wrap-around); the first image
 * when `current` is not among them; null when there is nowhere to go.
 */
export function neighbourId(
  images: readonly ImageSummary[],
  current: string | null,
  step: number,
): string | null {
  if (images.length === 0) return null;
  const index = images.findIndex((im) => im.id === current);
  if (index < 0) return images[0]!.id;
  const next = index + step;
  return next >= 0 && next < images.length ? images[next]!.id : null;
}

/** How many images have each status, for the filter's labels. */
export function countByStatus(images: readonly ImageSummary[]): Record<StatusFilter, number> {
  const counts = { all: images.length, unlabelled: 0, partial: 0, labelled: 0, proposal: 0 };
  for (const im of images) {
    counts[im.status]++;
    if (im.proposal) counts.proposal++;
  }
  return counts;
}
