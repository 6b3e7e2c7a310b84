/**
 * A project's trained models: `models/<id>/` folders listed in project.json, one of them
 * active (the one proposals come from).
 */
import type { ModelEntry } from '../../shared/project';
import { createLogger } from '../log';
import {
  modelFolder,
  newModelId,
  newestModel,
  removeModelFolder,
  resolveModelFolder,
} from './modelFolders';
import { ProjectError } from './projectError';
import type { ProjectState } from './projectState';
import { removeProposalFile } from './proposalFiles';

const log = createLogger('project');

export class ProjectModels {
  constructor(private readonly state: ProjectState) {}

  /** Oldest first. */
  get list(): readonly ModelEntry[] {
    return this.state.data().models;
  }

  /** The model proposals come from, or null before the first fine-tune. */
  get active(): ModelEntry | null {
    const { models, activeModelId } = this.state.data();
    return models.find((m) => m.id === activeModelId) ?? null;
  }

  get(id: string): ModelEntry {
    const model = this.list.find((m) => m.id === id);
    if (!model) throw new ProjectError('UNKNOWN_MODEL', `no model "${id}" in this project`);
    return model;
  }

  /** A fresh id for a model of `arch`, like `unet-20261204-083000`; nothing is written. */
  newId(arch: string, date = new Date()): string {
    return newModelId(arch, date, new Set(this.list.map((m) => m.id)));
  }

  /** The folder of model `id`: `models/<id>` (which need not exist yet). */
  dir(id: string): string {
    return modelFolder(this.state.dir, id);
  }

  /** Lists a trained model whose folder is written, and makes it the active one. */
  async add(entry: ModelEntry): Promise<void> {
    const data = this.state.data();
    if (data.models.some((m) => m.id === entry.id)) {
      throw new ProjectError('UNKNOWN_MODEL', `a model "${entry.id}" is already listed`);
    }
    data.models.push({ ...entry });
    data.activeModelId = entry.id;
    await this.state.save();
    log.info(`added model ${entry.id}; it is now active`);
  }

  async setActive(id: string): Promise<void> {
    this.get(id);
    this.state.data().activeModelId = id;
    await this.state.save();
  }

  /**
   * Deletes model `id`: its folder (only a real folder inside `models/`; anything else is
   * refused before any change) and its proposals. If it was active, the newest remaining
   * model becomes active. project.json goes first, so a crash leaves an unlisted folder.
   * Returns the ids of the images whose proposal went with it.
   */
  async delete(id: string): Promise<string[]> {
    this.get(id);
    await resolveModelFolder(this.state.dir, id);
    const data = this.state.data();
    data.models = data.models.filter((m) => m.id !== id);
    if (data.activeModelId === id) data.activeModelId = newestModel(data.models)?.id ?? null;
    const orphans = data.images.filter((im) => im.proposal?.modelId === id);
    for (const entry of orphans) entry.proposal = null;
    await this.state.save();
    await removeModelFolder(this.state.dir, id);
    for (const entry of orphans) await removeProposalFile(this.state.dir, entry.id);
    log.info(`deleted model ${id} and its ${orphans.length} proposals`);
    return orphans.map((im) => im.id);
  }
}
