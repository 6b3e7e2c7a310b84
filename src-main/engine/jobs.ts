/**
 * Predict and eval jobs over model folders: predictions as index PNG masks, evaluation as
 * the metrics of shared/metrics.ts.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { EvalSpec, PredictSpec } from '../../shared/engineProtocol';
import type { EvalSummary } from '../../shared/metrics';
import { decodeImage, encodeMask } from '../imageio';
import { writeAtomic } from '../project/files';
import { listImageFiles, loadFilePairs, loadFolderPairs, toFloat } from './data';
import { predictImage } from './infer';
import { loadModel } from './modelStore';
import { validate } from './train';

export async function runPredict(spec: PredictSpec, log: (m: string) => void) {
  const { model, meta } = await loadModel(spec.model);
  const written: string[] = [];
  const skipped: { path: string; reason: string }[] = [];
  try {
    const files: string[] = [];
    for (const input of spec.inputs) {
      const info = await stat(input).catch(() => null);
      if (!info) skipped.push({ path: input, reason: `${input}: no such file or folder` });
      else files.push(...(info.isDirectory() ? await listImageFiles(input) : [input]));
    }
    await mkdir(spec.out, { recursive: true });
    for (const file of files) {
      try {
        const raw = await decodeImage(file);
        const image = toFloat(raw, meta.inputChannels);
        const prediction = await predictImage(model, meta, image, raw.width, raw.height);
        const out = join(spec.out, `${basename(file, extname(file))}.png`);
        await writeAtomic(out, await encodeMask(prediction.classes, raw.width, raw.height));
        written.push(out);
      } catch (err) {
        skipped.push({ path: file, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    model.dispose();
  }
  log(
    `wrote ${written.length} masks to ${spec.out}${skipped.length ? `, skipped ${skipped.length}` : ''}`,
  );
  return { written, skipped };
}

export async function runEval(spec: EvalSpec): Promise<EvalSummary> {
  const { model, meta } = await loadModel(spec.model);
  try {
    const data =
      'pairs' in spec.data
        ? await loadFilePairs(spec.data.pairs, meta.classes)
        : await loadFolderPairs(spec.data.images, spec.data.masks);
    return await validate(model, meta, data.samples);
  } finally {
    model.dispose();
  }
}
