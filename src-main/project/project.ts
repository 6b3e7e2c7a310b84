/**
 * A project folder on disk: `project.json`, `images/`, `masks/`, `models/`, `proposals/`.
 * Models and proposals have their own managers (ProjectModels, ProjectProposals).
 *
 * Writes are ordered so that a crash at any moment leaves an openable project: image copies
 * and masks land (atomically) before `project.json`, which is written last. Files a crash
 * leaves unreferenced in `images/` are simply not listed.
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { ImageSummary, MaskData, ProjectSummary } from '../../shared/ipc';
import {
  IMAGE_ID_PATTERN,
  NOT_LABELLED,
  PROJECT_SCHEMA_VERSION,
  labelStatusOf,
  projectFileSchema,
  type ClassDef,
  type ImageEntry,
  type LabelStatus,
  type ProjectFile,
} from '../../shared/project';
import { assignSplits } from '../../shared/split';
import { migrateProjectJson } from '../../shared/projectMigrations';
import { IMPORT_EXTENSIONS, ImageError, decodeMask, encodeMask, probeImage } from '../imageio';
import { createLogger } from '../log';
import { checkClassUpdate, remapClass } from '../../shared/classes';
import { copyAtomic, resolveInside, writeAtomic } from './files';
import { ProjectError } from './projectError';
import { ProjectModels } from './ProjectModels';
import { ProjectProposals, shownProposal } from './ProjectProposals';
import type { ProjectState } from './projectState';

const log = createLogger('project');

export const PROJECT_FILE = 'project.json';
export const FOLDERS = ['images', 'masks', 'models'] as const;

export { ProjectError, type ProjectErrorCode } from './projectError';

export interface AddResult {
  added: ImageSummary[];
  skipped: { path: string; reason: string }[];
}

export class Project {
  /** Trained models: the list, the active one, adding and deleting. */
  readonly models: ProjectModels;
  /** The active model's proposals: recording, reading and discarding. */
  readonly proposals: ProjectProposals;

  private constructor(
    readonly dir: string,
    private data: ProjectFile,
  ) {
    const state: ProjectState = { dir, data: () => this.data, save: () => this.save() };
    this.models = new ProjectModels(state);
    this.proposals = new ProjectProposals(state);
  }

  static async create(
    dir: string,
    name: string,
    classes: ClassDef[] = [{ id: 1, name: 'foreground', color: '#ff3b30' }],
  ): Promise<Project> {
    const root = resolve(dir);
    if (await exists(join(root, PROJECT_FILE))) {
      throw new ProjectError('PROJECT_EXISTS', `${root}: already holds a project; open it instead`);
    }
    await mkdir(root, { recursive: true });
    for (const folder of FOLDERS) await mkdir(join(root, folder), { recursive: true });
    const data: ProjectFile = {
      schemaVersion: PROJECT_SCHEMA_VERSION,
      name,
      createdAt: new Date().toISOString(),
      classes,
      images: [],
      architecture: 'unet',
      models: [],
      activeModelId: null,
    };
    const project = new Project(root, data);
    await project.save();
    log.info(`created project "${name}" in ${root}`);
    return project;
  }

  /** Opens and validates `dir/project.json`; every problem is reported with its field. */
  static async open(dir: string): Promise<Project> {
    const root = resolve(dir);
    const file = join(root, PROJECT_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new ProjectError(
        'NOT_A_PROJECT',
        `${root}: no ${PROJECT_FILE} here, so it is not a SkipSeg project`,
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ProjectError('INVALID_PROJECT', `${file}: not valid JSON (${why})`);
    }
    let migrated: ReturnType<typeof migrateProjectJson>;
    try {
      migrated = migrateProjectJson(raw);
    } catch (err) {
      throw new ProjectError(
        'INVALID_PROJECT',
        `${file}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const parsed = projectFileSchema.safeParse(migrated.value);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
      );
      throw new ProjectError('INVALID_PROJECT', `${file}: ${problems.join('; ')}`);
    }
    for (const folder of FOLDERS) await mkdir(join(root, folder), { recursive: true });
    const project = new Project(root, parsed.data);
    if (migrated.migratedFrom !== null) {
      await project.save();
      log.info(
        `upgraded ${file} from schema ${migrated.migratedFrom} to ${PROJECT_SCHEMA_VERSION}`,
      );
    }
    log.info(
      `opened project "${parsed.data.name}" (${parsed.data.images.length} images) in ${root}`,
    );
    return project;
  }

  get summary(): ProjectSummary {
    return {
      dir: this.dir,
      name: this.data.name,
      classes: this.data.classes.map((c) => ({ ...c })),
      imageCount: this.data.images.length,
      architecture: this.data.architecture,
      models: this.data.models.map((m) => ({ ...m })),
      activeModelId: this.data.activeModelId,
    };
  }

  listImages(): ImageSummary[] {
    return this.data.images.map((im) => toSummary(im, this.data.activeModelId));
  }

  /** The architecture new fine-tunes use unless told otherwise. */
  get architecture(): string {
    return this.data.architecture;
  }

  image(id: string): ImageEntry {
    const entry = this.data.images.find((im) => im.id === id);
    if (!entry) throw new ProjectError('UNKNOWN_IMAGE', `no image "${id}" in this project`);
    return entry;
  }

  /** The real path of an image's imported copy; refuses anything outside `images/`. */
  async imagePath(id: string): Promise<string> {
    return resolveInside(this.dir, 'images', this.image(id).file);
  }

  /**
   * Imports files, and the supported files directly inside folders, as copies under
   * `images/`. Unreadable or unsupported files are skipped with the reason; nothing is
   * ever written outside the project.
   */
  async addImages(paths: readonly string[]): Promise<AddResult> {
    const result: AddResult = { added: [], skipped: [] };
    const files = await expandInputs(paths, result.skipped);
    const ids = new Set(this.data.images.map((im) => im.id));
    for (const source of files) {
      try {
        const info = await probeImage(source);
        const id = uniqueId(basename(source, extname(source)), ids);
        const file = `images/${id}${extname(source).toLowerCase()}`;
        await copyAtomic(source, join(this.dir, file));
        ids.add(id);
        const entry: ImageEntry = {
          id,
          file,
          name: basename(source),
          width: info.width,
          height: info.height,
          channels: info.channels,
          bitDepth: info.bitDepth,
          split: 'unassigned',
          status: 'unlabelled',
          proposal: null,
        };
        this.data.images.push(entry);
        result.added.push(toSummary(entry, this.data.activeModelId));
      } catch (err) {
        const reason =
          err instanceof ImageError ? err.message : `${basename(source)}: ${String(err)}`;
        result.skipped.push({ path: source, reason });
      }
    }
    if (result.added.length > 0) await this.save();
    log.info(`imported ${result.added.length} images, skipped ${result.skipped.length}`);
    for (const s of result.skipped) log.warn(`skipped ${s.reason}`);
    return result;
  }

  /** The mask of an image; a missing or unreadable file gives an all-not-labelled mask. */
  async getMask(id: string): Promise<MaskData> {
    const entry = this.image(id);
    const empty = () => new Uint8Array(entry.width * entry.height).fill(NOT_LABELLED);
    const file = join(this.dir, maskFile(id));
    if (!(await exists(file))) {
      return { id, width: entry.width, height: entry.height, data: empty(), exists: false };
    }
    try {
      const real = await resolveInside(this.dir, 'masks', maskFile(id));
      const data = await decodeMask(real, entry.width, entry.height);
      return { id, width: entry.width, height: entry.height, data, exists: true };
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      log.warn(`mask of ${id} is unreadable: ${problem}`);
      return { id, width: entry.width, height: entry.height, data: empty(), exists: true, problem };
    }
  }

  /** Writes the mask PNG atomically, then the label status into project.json. */
  async saveMask(
    id: string,
    width: number,
    height: number,
    data: Uint8Array,
  ): Promise<LabelStatus> {
    const entry = this.image(id);
    if (width !== entry.width || height !== entry.height || data.length !== width * height) {
      throw new ProjectError(
        'BAD_MASK_SIZE',
        `mask for ${id} is ${width}×${height} with ${data.length} pixels; the image is ${entry.width}×${entry.height}`,
      );
    }
    await writeAtomic(join(this.dir, maskFile(id)), await encodeMask(data, width, height));
    const status = labelStatusOf(data);
    if (status !== entry.status) {
      entry.status = status;
      await this.save();
    }
    log.debug(`saved mask of ${id} (${status})`);
    return status;
  }

  /**
   * Adds, renames and recolours classes. Every existing id must stay (deleting one goes
   * through deleteClass, which also rewrites the masks that use it).
   */
  async setClasses(classes: readonly ClassDef[]): Promise<void> {
    const problem = checkClassUpdate(this.data.classes, classes);
    if (problem) throw new ProjectError('BAD_CLASSES', problem);
    this.data.classes = classes.map((c) => ({ ...c }));
    await this.save();
  }

  /** Ids of the images whose saved mask holds class `id`. */
  async classUsage(id: number): Promise<string[]> {
    const used: string[] = [];
    for (const entry of this.data.images) {
      const mask = await this.getMask(entry.id);
      if (mask.exists && !mask.problem && mask.data.includes(id)) used.push(entry.id);
    }
    return used;
  }

  /**
   * Removes class `id`, first rewriting every mask that uses it so its pixels become
   * `replaceWith` (0 background, 255 not labelled, or another class). Masks are written
   * before project.json, so a crash half-way leaves the class listed and a retry finishes.
   */
  async deleteClass(id: number, replaceWith: number): Promise<string[]> {
    if (!this.data.classes.some((c) => c.id === id)) {
      throw new ProjectError('BAD_CLASSES', `there is no class ${id} to delete`);
    }
    const isTargetKnown = this.data.classes.some((c) => c.id === replaceWith && c.id !== id);
    if (replaceWith !== 0 && replaceWith !== NOT_LABELLED && !isTargetKnown) {
      throw new ProjectError(
        'BAD_CLASSES',
        `cannot turn class ${id} into ${replaceWith}: no such class`,
      );
    }
    const changed: string[] = [];
    for (const entry of this.data.images) {
      const mask = await this.getMask(entry.id);
      if (!mask.exists || mask.problem || !remapClass(mask.data, id, replaceWith)) continue;
      await writeAtomic(
        join(this.dir, maskFile(entry.id)),
        await encodeMask(mask.data, mask.width, mask.height),
      );
      entry.status = labelStatusOf(mask.data);
      changed.push(entry.id);
    }
    this.data.classes = this.data.classes.filter((c) => c.id !== id);
    await this.save();
    log.info(`deleted class ${id}; rewrote ${changed.length} masks`);
    return changed;
  }

  /** Moves images to training or validation; the choice is the user's and is kept. */
  async setSplit(ids: readonly string[], split: 'train' | 'val'): Promise<void> {
    const entries = ids.map((id) => this.image(id));
    for (const entry of entries) entry.split = split;
    await this.save();
  }

  /**
   * Places labelled images that have no split yet (see shared/split.ts); returns their ids.
   * Images already placed never move.
   */
  async assignSplits(): Promise<string[]> {
    const splits = assignSplits(this.data.images);
    for (const entry of this.data.images) entry.split = splits.get(entry.id) ?? entry.split;
    if (splits.size > 0) await this.save();
    return [...splits.keys()];
  }

  /** The real path of an image's mask; refuses anything outside `masks/`. */
  async maskPath(id: string): Promise<string> {
    this.image(id);
    return resolveInside(this.dir, 'masks', maskFile(id));
  }

  private async save(): Promise<void> {
    await writeAtomic(join(this.dir, PROJECT_FILE), JSON.stringify(this.data, null, 2) + '\n');
  }
}

export function maskFile(id: string): string {
  return `masks/${id}.png`;
}

/** An image as the renderer lists it; only the active model's proposal shows. */
function toSummary(entry: ImageEntry, activeModelId: string | null): ImageSummary {
  const { id, name, width, height, channels, bitDepth, split, status } = entry;
  const shown = shownProposal(entry, activeModelId);
  const proposal = shown
    ? { modelId: shown.modelId, confidence: shown.confidence, uncertainShare: shown.uncertainShare }
    : null;
  return { id, name, width, height, channels, bitDepth, split, status, proposal };
}

/** A file-name-derived id matching IMAGE_ID_PATTERN, made unique with a numeric suffix. */
export function uniqueId(stem: string, taken: ReadonlySet<string>): string {
  let base = stem
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+/, '')
    .slice(0, 56);
  if (!IMAGE_ID_PATTERN.test(base)) base = 'image';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

async function expandInputs(
  paths: readonly string[],
  skipped: AddResult['skipped'],
): Promise<string[]> {
  const files: string[] = [];
  for (const input of paths) {
    const path = resolve(input);
    const info = await stat(path).catch(() => null);
    if (!info) {
      skipped.push({ path, reason: `${path}: no such file or folder` });
    } else if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) =>
        IMPORT_EXTENSIONS.includes(extname(n).toLowerCase()),
      );
      names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      files.push(...names.map((n) => join(path, n)));
    } else {
      files.push(path);
    }
  }
  return files;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
