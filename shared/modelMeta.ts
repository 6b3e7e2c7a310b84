/**
 * `skipseg-model.json`: what a model folder holds besides tfjs's model.json and weights —
 * enough to use the model correctly (classes, input channels, normalisation) and to tell
 * models apart in a list (data, backend, duration, validation metrics).
 */
import { z } from 'zod';
import { ARCH_IDS, BACKEND_IDS } from './engineProtocol';

export const MODEL_META_FILE = 'skipseg-model.json';
export const MODEL_META_VERSION = 1;

const classScore = z.object({
  id: z.number().int(),
  iou: z.number().nullable(),
  dice: z.number().nullable(),
});

export const evalSummarySchema = z.object({
  miou: z.number().nullable(),
  pixelAccuracy: z.number().nullable(),
  boundaryF1: z.number().nullable(),
  classes: z.array(classScore),
});

export const modelMetaSchema = z.object({
  version: z.literal(MODEL_META_VERSION),
  arch: z.enum(ARCH_IDS),
  base: z.number().int().positive(),
  depth: z.number().int().positive(),
  norm: z.enum(['batch', 'group', 'none']),
  /** Output classes including background (class 0). */
  classes: z.number().int().min(2).max(255),
  inputChannels: z.union([z.literal(1), z.literal(3)]),
  /** Input = (pixel scaled to [0, 1] − mean) / std. */
  normalisation: z.object({ mean: z.number(), std: z.number().positive() }),
  tile: z.number().int().positive(),
  createdAt: z.string(),
  /** A hash of the training file names and sizes, to tell data sets apart. */
  dataFingerprint: z.string(),
  trainImages: z.number().int().nonnegative(),
  backend: z.enum(BACKEND_IDS),
  seconds: z.number().nonnegative(),
  epochs: z.number().int().nonnegative(),
  val: evalSummarySchema.nullable(),
});

export type ModelMeta = z.infer<typeof modelMetaSchema>;
