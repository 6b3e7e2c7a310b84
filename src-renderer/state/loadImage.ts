/**
 * Fetches what the viewer needs for one image: the picture, decoded once to an
 * ImageBitmap, and its mask, checked against the picture's size.
 */
import { toErrorInfo } from '../../shared/errors';
import type { MaskData, ViewableImage } from '../../shared/ipc';
import { NOT_LABELLED } from '../../shared/project';
import { request } from './client';
import { useSessionStore } from './sessionStore';

/** An image ready to draw. Whoever drops it from the store closes `bitmap`. */
export interface LoadedImage {
  id: string;
  /** Size in image pixels; `mask` always has this size too. */
  width: number;
  height: number;
  bitmap: ImageBitmap;
  mask: MaskData;
}

/** Loads image `id` and its mask; null (with an error notice) if either fails. */
export async function loadImage(id: string): Promise<LoadedImage | null> {
  const [image, mask] = await Promise.all([
    request(`Loading image ${id}`, (api) => api.image.get({ id })),
    request(`Loading the mask of ${id}`, (api) => api.mask.get({ id })),
  ]);
  if (!image || !mask) return null;

  try {
    const bitmap = await decodePng(image);
    return { id, width: image.width, height: image.height, bitmap, mask: fitMask(mask, image) };
  } catch (err) {
    useSessionStore.getState().reportError(`Decoding image ${id}: ${toErrorInfo(err).message}`);
    return null;
  }
}

function decodePng(image: ViewableImage): Promise<ImageBitmap> {
  // The bytes come from IPC or the wire codec: always a plain ArrayBuffer, never shared.
  const png = image.png as Uint8Array<ArrayBuffer>;
  return createImageBitmap(new Blob([png], { type: 'image/png' }));
}

/** A mask that does not match its image is shown as unlabelled, with the reason. */
function fitMask(mask: MaskData, image: ViewableImage): MaskData {
  const isSameSize = mask.width === image.width && mask.height === image.height;
  if (isSameSize && mask.data.length === mask.width * mask.height) return mask;
  return {
    ...mask,
    width: image.width,
    height: image.height,
    data: new Uint8Array(image.width * image.height).fill(NOT_LABELLED),
    problem:
      mask.problem ??
      `the mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}`,
  };
}
