/**
 * The open project as the renderer sees it: its summary, its images, which one is
 * selected and that one loaded for the viewer.
 */
import { create } from 'zustand';
import type { ImageSummary, ProjectSummary, ProposalData } from '../../shared/ipc';
import { request, requestResult } from './client';
import { forget, getImage, setShown } from './imageCache';
import type { LoadedImage } from './loadImage';

export type { LoadedImage } from './loadImage';

export interface ProjectState {
  project: ProjectSummary | null;
  images: ImageSummary[];
  /** False until main has first said which project is open, to tell loading from empty. */
  hasProjectLoaded: boolean;
  selectedImageId: string | null;
  /** The selected image once loaded; null while it loads or when nothing is selected. */
  loaded: LoadedImage | null;
  isLoadingImage: boolean;
  /** The active model's proposal for the selected image, once loaded; null if none. */
  proposal: ProposalData | null;
  /** Asks main for the open project and its images. */
  refreshProject(): Promise<void>;
  /** Takes a project pushed by main; another folder resets the image list and selection. */
  applyProject(project: ProjectSummary | null): void;
  /** Takes an image list pushed by main, dropping a selection that is no longer in it. */
  applyImages(images: ImageSummary[]): void;
  selectImage(id: string | null): Promise<void>;
  /** Main wrote or removed proposals: reload the selected image's if it is one of them. */
  applyProposalsChanged(ids: readonly string[]): void;
  /** Drops the selected image's proposal here and in the project (the user rejected it). */
  discardProposal(): Promise<void>;
}

/** Counts selections so that a slow load never overwrites a later choice. */
let selection = 0;

export const useProjectStore = create<ProjectState>()((set, get) => {
  /** Swaps the loaded image; the image cache closes bitmaps once they are off screen. */
  function replaceLoaded(loaded: LoadedImage | null): void {
    setShown(loaded?.id ?? null);
    set({ loaded });
  }

  async function refreshImages(): Promise<void> {
    const images = await request('Listing images', (api) => api.project.listImages({}));
    if (images) get().applyImages(images);
  }

  return {
    project: null,
    images: [],
    hasProjectLoaded: false,
    selectedImageId: null,
    loaded: null,
    isLoadingImage: false,
    proposal: null,

    async refreshProject() {
      const result = await requestResult('Finding the open project', (api) =>
        api.project.current({}),
      );
      if (result.ok) get().applyProject(result.value);
      else set({ hasProjectLoaded: true });
    },

    applyProject(project) {
      const isSameFolder = project !== null && get().project?.dir === project.dir;
      set({ project, hasProjectLoaded: true });
      if (isSameFolder) return;
      set({ images: [] });
      forget();
      void get().selectImage(null);
      if (project) void refreshImages();
    },

    applyImages(images) {
      set({ images });
      const selected = get().selectedImageId;
      if (selected !== null && !images.some((im) => im.id === selected)) {
        void get().selectImage(null);
      }
    },

    async selectImage(id) {
      const s = get();
      if (id === s.selectedImageId && (s.loaded !== null || s.isLoadingImage)) return;
      const ticket = ++selection;
      set({ selectedImageId: id, isLoadingImage: id !== null, proposal: null });
      replaceLoaded(null);
      if (id === null) return;

      const [loaded, proposal] = await Promise.all([getImage(id), fetchProposal(id)]);
      if (ticket !== selection) return;
      set({ isLoadingImage: false, proposal });
      replaceLoaded(loaded);
    },

    applyProposalsChanged(ids) {
      const id = get().selectedImageId;
      if (id === null || !ids.includes(id)) return;
      const ticket = selection;
      // Ask main directly: this event may come before the image list that mentions it.
      void fetchProposal(id, true).then((proposal) => {
        if (ticket === selection) set({ proposal });
      });
    },

    async discardProposal() {
      const id = get().selectedImageId;
      if (id === null) return;
      set({ proposal: null });
      await request('Rejecting the proposal', (api) => api.proposal.discard({ id }));
    },
  };
});

/**
 * The proposal for an image, or null when it has none (or it cannot be read). Unless
 * `isFresh`, the image list decides whether there is one to fetch.
 */
async function fetchProposal(id: string, isFresh = false): Promise<ProposalData | null> {
  const image = useProjectStore.getState().images.find((im) => im.id === id);
  if (!isFresh && !image?.proposal) return null;
  return request(`Loading the proposal for ${id}`, (api) => api.proposal.get({ id }));
}
