/**
 * The 'intermediates' engine job: the tensors a model fuses at each skip, for the comparison
 * view. Values are float32 NHWC with batch 1, row-major, channels last; typed arrays travel
 * by structured clone.
 *
 * Wire size: Σ over tensors of 4 × h × w × (channelsSent + 1) bytes, where h × w is the
 * map's size (the image's at stride 2^level) and the + 1 is the mean-|activation| map. On a
 * 512 × 512 image, a depth-4 U-Net's 12 tensors at the default 4 channels come to about
 * 21 MB (level 0 alone 15.7 MB); all channels at base 16 would be about 130 MB.
 */
import type { ArchName } from './engineProtocol';

/** Channels of each tensor sent when the spec does not say. */
export const DEFAULT_MAX_CHANNELS = 4;

/** Image pixels as decoded: `channels` samples per pixel (grey, grey+alpha, RGB, RGBA). */
export interface PixelData {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** width × height × channels samples, row-major; 8- or 16-bit. */
  data: Uint8Array | Uint16Array;
}

export interface IntermediatesSpec {
  /** A model folder (skipseg-model.json, model.json, weights). */
  model: string;
  /** An image file, or its pixels (a crop, say, for an image too large to run whole). */
  image: string | PixelData;
  /** Which intermediates, by the names the model declares; default all. */
  names?: string[];
  /** Channels of each tensor to send, the first ones; 0 sends only the mean map. Default 4. */
  maxChannels?: number;
}

/**
 * What a tensor is at its skip: the encoder feature, the upsampled decoder feature, their
 * fusion (concatenation or sum), or, in the skip-less encoder–decoder, the decoder's output.
 */
export type IntermediateRole = 'encoder' | 'upsampled' | 'fused' | 'features';

export interface IntermediateTensor {
  /** As the model declares it: `skip{level}/{role}` or `decoder{level}/{role}`. */
  name: string;
  role: IntermediateRole;
  /** The map is at stride 2^level: one value per 2^level × 2^level image pixels. */
  level: number;
  /** How a fused tensor was made; null for the other roles. */
  fusion: 'concat' | 'add' | null;
  /**
   * [1, h, w, C] of the whole tensor over the image: h = ⌈height / 2^level⌉,
   * w = ⌈width / 2^level⌉ (the padding the model ran on is cut off), C all its channels.
   */
  shape: [1, number, number, number];
  /** Channels in `values`: the first min(C, maxChannels). */
  channelsSent: number;
  /** [1, h, w, channelsSent] float32, NHWC. */
  values: Float32Array;
  /** [1, h, w, 1]: per pixel, the mean over all C channels of |activation|. */
  meanAbs: Float32Array;
}

export interface IntermediatesResult {
  arch: ArchName;
  /** The image's size in pixels. */
  width: number;
  height: number;
  /** Every intermediate the model declares, finest level first. */
  available: string[];
  /** The asked-for intermediates, in the order of `available`. */
  tensors: IntermediateTensor[];
}
