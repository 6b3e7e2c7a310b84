/**
 * Model folders: tfjs `model.json` + a weights file + `skipseg-model.json`. Writes are
 * atomic per file and ordered (weights, then model.json naming them, then the metadata), so
 * a crash mid-save leaves the previous checkpoint loadable. Loading refuses weight paths
 * that leave the folder and checks the model's shapes against its metadata.
 */
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors';
import { MODEL_META_FILE, modelMetaSchema, type ModelMeta } from '../../shared/modelMeta';
import { writeAtomic } from '../project/files';

export class ModelError extends AppError<'BAD_MODEL' | 'NO_MODEL'> {}

const WEIGHTS_NAME = /^weights-\d+\.bin$/;

export async function saveModel(
  dir: string,
  model: tf.LayersModel,
  meta: ModelMeta,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const weightsName = `weights-${Date.now()}.bin`;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes = Array.isArray(data)
        ? tf.io.concatenateArrayBuffers(data)
        : (data ?? new ArrayBuffer(0));
      await writeAtomic(join(dir, weightsName), new Uint8Array(bytes));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `SkipSeg with TensorFlow.js ${tf.version_core}`,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await writeAtomic(join(dir, MODEL_META_FILE), JSON.stringify(meta, null, 2) + '\n');
  // Older checkpoints' weights are unreferenced now.
  for (const name of await readdir(dir)) {
    if (WEIGHTS_NAME.test(name) && name !== weightsName) await rm(join(dir, name), { force: true });
  }
}

export async function readModelMeta(dir: string): Promise<ModelMeta> {
  const file = join(dir, MODEL_META_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModelError(
      missing ? 'NO_MODEL' : 'BAD_MODEL',
      missing ? `${dir}: not a SkipSeg model (no ${MODEL_META_FILE})` : `${file}: not valid JSON`,
    );
  }
  const parsed = modelMetaSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ModelError('BAD_MODEL', `${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; meta: ModelMeta }> {
  const meta = await readModelMeta(dir);
  const file = join(dir, 'model.json');
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ModelError('BAD_MODEL', `${file}: missing or not valid JSON`);
  }
  const manifest = json.weightsManifest ?? [];
  const buffers: ArrayBuffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of manifest) {
    for (const path of group.paths) {
      if (!/^[\w.-]+$/.test(path) || path.startsWith('.')) {
        throw new ModelError('BAD_MODEL', `${file}: weight path "${path}" leaves the model folder`);
      }
      const bytes = await readFile(join(dir, path)).catch(() => {
        throw new ModelError('BAD_MODEL', `${file}: weights file ${path} is missing`);
      });
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    specs.push(...group.weights);
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
      }),
    );
  } catch (err) {
    throw new ModelError(
      'BAD_MODEL',
      `${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const inShape = model.inputs[0]?.shape ?? [];
  const outShape = model.outputs[0]?.shape ?? [];
  if (inShape.at(-1) !== meta.inputChannels || outShape.at(-1) !== meta.classes) {
    model.dispose();
    throw new ModelError(
      'BAD_MODEL',
      `${dir}: the network takes ${inShape.at(-1)} channels and gives ${outShape.at(-1)} classes, ` +
        `but ${MODEL_META_FILE} says ${meta.inputChannels} and ${meta.classes}`,
    );
  }
  return { model, meta };
}
