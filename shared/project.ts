/**
 * The project file format: `project.json` at the root of a project folder.
 *
 * A project folder holds `project.json`, `images/` (imported copies), `masks/` (one 8-bit
 * PNG per image, pixel = class id, 0 = background, 255 = not labelled) and `models/`.
 * Everything here is pure data and validation, shared by main and renderer.
 */
import { z } from 'zod';

export const PROJECT_SCHEMA_VERSION = 1;

/** Mask pixel value for "not labelled": ignored by training, distinct from background (0). */
export const NOT_LABELLED = 255;
export const BACKGROUND = 0;
/** Class ids 1..254 are user classes; 0 and 255 are reserved. */
export const MAX_CLASS_ID = 254;

export const IMAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const classSchema = z.object({
  id: z.number().int().min(1).max(MAX_CLASS_ID),
  name: z.string().trim().min(1).max(64),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #ff8800'),
});

export const splitSchema = z.enum(['train', 'val', 'unassigned']);

/** A model's proposal for one image: `proposals/<image id>.png`, pixel = class id. */
export const proposalEntrySchema = z.object({
  modelId: z.string(),
  /** Mean over pixels of the top class probability, 0..1: low means the model is unsure. */
  confidence: z.number().min(0).max(1),
  /** Share of pixels whose top class probability is below 0.75. */
  uncertainShare: z.number().min(0).max(1),
  createdAt: z.string(),
});

/** Validation scores of a model, as the model list shows them. */
export const modelScoresSchema = z.object({
  miou: z.number().nullable(),
  pixelAccuracy: z.number().nullable(),
  boundaryF1: z.number().nullable(),
});

/** A trained model of the project: its folder is `models/<id>/`. */
export const modelEntrySchema = z.object({
  id: z.string().regex(IMAGE_ID_PATTERN, 'letters, digits, - and _ only'),
  arch: z.string(),
  createdAt: z.string(),
  trainImages: z.number().int().nonnegative(),
  valImages: z.number().int().nonnegative(),
  /** Output classes including background. */
  classes: z.number().int().min(2),
  backend: z.string(),
  seconds: z.number().nonnegative(),
  epochs: z.number().int().nonnegative(),
  val: modelScoresSchema.nullable(),
});
export const labelStatusSchema = z.enum(['unlabelled', 'partial', 'labelled']);

export const imageEntrySchema = z.object({
  id: z.string().regex(IMAGE_ID_PATTERN, 'letters, digits, - and _ only'),
  /** Path of the imported copy, relative to the project folder, always under `images/`. */
  file: z.string().regex(/^images\/[^/\\]+$/, 'a file directly under images/'),
  /** The file name the user imported, for display. */
  name: z.string().min(1).max(255),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.number().int().min(1).max(4),
  bitDepth: z.union([z.literal(8), z.literal(16)]),
  split: splitSchema,
  status: labelStatusSchema,
  proposal: proposalEntrySchema.nullable().default(null),
});

export const projectFileSchema = z
  .object({
    schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
    name: z.string().trim().min(1).max(128),
    createdAt: z.string(),
    classes: z.array(classSchema),
    images: z.array(imageEntrySchema),
    architecture: z.string().default('unet'),
    models: z.array(modelEntrySchema).default([]),
    activeModelId: z.string().nullable().default(null),
  })
  .superRefine((project, ctx) => {
    findDuplicates(project.classes.map((c) => c.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: 'duplicate class id' }),
    );
    findDuplicates(project.images.map((im) => im.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['images', i, 'id'], message: 'duplicate image id' }),
    );
  });

export type ClassDef = z.infer<typeof classSchema>;
export type Split = z.infer<typeof splitSchema>;
export type LabelStatus = z.infer<typeof labelStatusSchema>;
export type ImageEntry = z.infer<typeof imageEntrySchema>;
export type ProjectFile = z.infer<typeof projectFileSchema>;
export type ProposalEntry = z.infer<typeof proposalEntrySchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type ModelScores = z.infer<typeof modelScoresSchema>;

function findDuplicates(values: readonly (string | number)[]): number[] {
  const seen = new Set<string | number>();
  const duplicates: number[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) duplicates.push(i);
    seen.add(v);
  });
  return duplicates;
}

/** Label status of a mask: every pixel 255 → unlabelled, none → labelled, else partial. */
export function labelStatusOf(mask: Uint8Array): LabelStatus {
  let unlabelled = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === NOT_LABELLED) unlabelled++;
  if (unlabelled === mask.length) return 'unlabelled';
  return unlabelled === 0 ? 'labelled' : 'partial';
}
