/** The project store's domain failures, each with a code the renderer can act on. */
import { AppError } from '../../shared/errors';

export type ProjectErrorCode =
  | 'NOT_A_PROJECT'
  | 'INVALID_PROJECT'
  | 'PROJECT_EXISTS'
  | 'UNKNOWN_IMAGE'
  | 'BAD_MASK_SIZE'
  | 'BAD_CLASSES'
  | 'UNKNOWN_MODEL';

export class ProjectError extends AppError<ProjectErrorCode> {}
