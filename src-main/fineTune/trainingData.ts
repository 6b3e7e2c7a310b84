/**
 * What a fine-tune trains on, read from the project: its labelled and partly labelled images
 * as image/mask file pairs (the project's own files, never copies), by split.
 */
import type { FilePair } from '../../shared/engineProtocol';
import { createLogger } from '../log';
import type { Project } from '../project/project';

const log = createLogger('fine-tune');

export interface TrainingData {
  train: FilePair[];
  val: FilePair[];
  /** Pixels of every image that carries labels, training and validation. */
  pixels: number;
  /** Output classes including background: the largest class id + 1, at least 2. */
  classes: number;
}

/**
 * Pairs of the images that carry labels, by the split project.json holds; call
 * `project.assignSplits()` first so none is left unassigned.
 */
export async function collectTrainingData(project: Project): Promise<TrainingData> {
  const data: TrainingData = { train: [], val: [], pixels: 0, classes: 2 };
  for (const im of project.listImages()) {
    if (im.status === 'unlabelled' || im.split === 'unassigned') continue;
    let pair: FilePair;
    try {
      pair = { image: await project.imagePath(im.id), mask: await project.maskPath(im.id) };
    } catch (err) {
      // A file removed behind SkipSeg's back costs that image, not the whole fine-tune.
      log.warn(
        `left ${im.id} out of training: ${err instanceof Error ? err.message : String(err)}`,
      );
      continue;
    }
    data[im.split].push(pair);
    data.pixels += im.width * im.height;
  }
  const largest = project.summary.classes.reduce((m, c) => Math.max(m, c.id), 1);
  data.classes = largest + 1;
  return data;
}
