/**
 * Shortcuts of the window around the editor core: view, navigation and panels. Like the
 * core's table (shortcuts.ts) this one is both what the key handler runs and what the
 * help overlay lists.
 */
import type { KeyChord } from './shortcuts';

export type AppCommand =
  | 'zoomIn'
  | 'zoomOut'
  | 'fit'
  | 'toggleMask'
  | 'toggleOutline'
  | 'nextImage'
  | 'previousImage'
  | 'help';

export interface AppShortcut {
  command: AppCommand;
  chords: readonly KeyChord[];
  description: string;
}

export const APP_SHORTCUTS: readonly AppShortcut[] = [
  { command: 'zoomIn', chords: [{ key: '+' }, { key: '=' }], description: 'Zoom in' },
  { command: 'zoomOut', chords: [{ key: '-' }], description: 'Zoom out' },
  { command: 'fit', chords: [{ key: '0' }], description: 'Fit the image in the view' },
  { command: 'toggleMask', chords: [{ key: 'm' }], description: 'Show or hide the mask' },
  { command: 'toggleOutline', chords: [{ key: 'o' }], description: 'Mask as outlines only' },
  {
    command: 'nextImage',
    chords: [{ key: 'd' }, { key: 'ArrowRight' }],
    description: 'Next image in the list',
  },
  {
    command: 'previousImage',
    chords: [{ key: 'a' }, { key: 'ArrowLeft' }],
    description: 'Previous image in the list',
  },
  { command: 'help', chords: [{ key: '?' }], description: 'Show or hide this help' },
];

/** Gestures that are not keys, listed in the help beside the shortcuts. */
export const POINTER_GESTURES: readonly { gesture: string; description: string }[] = [
  { gesture: 'Wheel', description: 'Zoom at the cursor' },
  { gesture: 'Space + drag, middle drag', description: 'Pan' },
];

/** The app command for a key press with no Ctrl, Cmd or Alt held, or null. */
export function findAppCommand(
  key: string,
  modifiers: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean },
): AppCommand | null {
  if (modifiers.ctrlKey || modifiers.metaKey || modifiers.altKey) return null;
  const pressed = key.length === 1 ? key.toLowerCase() : key;
  const found = APP_SHORTCUTS.find((s) => s.chords.some((c) => c.key === pressed));
  return found?.command ?? null;
}
