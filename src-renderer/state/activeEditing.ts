/**
 * A handle on the image being edited, for actions outside the canvas that touch saved
 * masks (deleting a class rewrites them): save what is pending first, reload after.
 */
export interface ActiveEditing {
  imageId: string;
  /** Saves pending edits now; true when everything is on disk. */
  flush(): Promise<boolean>;
  /** Reads the mask back from main, dropping the undo history. */
  reloadMask(): Promise<void>;
  undo(): void;
  redo(): void;
  /**
   * Takes the proposal into the mask where it is not labelled (one class, or all), as one
   * undoable edit that autosaves; returns how many pixels it took.
   */
  acceptProposal(classId?: number): number;
}

let active: ActiveEditing | null = null;

export function setActiveEditing(editing: ActiveEditing | null): void {
  active = editing;
}

export function getActiveEditing(): ActiveEditing | null {
  return active;
}
