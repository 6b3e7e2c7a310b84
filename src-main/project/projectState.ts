/** What a project's managers (models, proposals) share with the Project that owns them. */
import type { ProjectFile } from '../../shared/project';

export interface ProjectState {
  /** The project folder, resolved. */
  readonly dir: string;
  /** The live project.json contents; managers change them, then call save. */
  data(): ProjectFile;
  /** Writes project.json atomically. */
  save(): Promise<void>;
}
