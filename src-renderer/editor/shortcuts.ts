/**
 * The editor's keyboard shortcuts: one table that both the core's key handler and the
 * help overlay read, so what is documented is what runs.
 */
import type { Modifiers } from './types';

/** What a shortcut asks the editor to do. */
export type EditorCommand =
  | 'tool:brush'
  | 'tool:eraser'
  | 'tool:polygon'
  | 'tool:fill'
  | 'tool:wand'
  | 'tool:accept'
  | 'brush:grow'
  | 'brush:shrink'
  | 'undo'
  | 'redo'
  | 'confirm'
  | 'cancel'
  | 'removeLastPoint'
  | 'selectClass'
  | 'selectBackground';

/**
 * One key combination. `key` is a DOM `KeyboardEvent.key`, lower case for letters; `mod`
 * is Ctrl, or Cmd on macOS. Modifiers not named must not be held, except that Shift is
 * ignored for symbol and digit keys, whose character already reflects it.
 */
export interface KeyChord {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

/** A row of the help overlay: a command, the chords that run it, and what it does. */
export interface Shortcut {
  command: EditorCommand;
  chords: readonly KeyChord[];
  description: string;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Every editor shortcut, in the order the help overlay lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'tool:brush', chords: [{ key: 'b' }], description: 'Brush: paint the class' },
  { command: 'tool:eraser', chords: [{ key: 'e' }], description: 'Eraser: set not labelled' },
  { command: 'tool:polygon', chords: [{ key: 'p' }], description: 'Polygon: click vertices' },
  { command: 'tool:fill', chords: [{ key: 'f' }], description: 'Fill a region of the mask' },
  { command: 'tool:wand', chords: [{ key: 'w' }], description: 'Magic wand: similar pixels' },
  {
    command: 'tool:accept',
    chords: [{ key: 'g' }],
    description: 'Accept brush: take the proposal under it',
  },
  { command: 'brush:shrink', chords: [{ key: '[' }], description: 'Smaller brush' },
  { command: 'brush:grow', chords: [{ key: ']' }], description: 'Larger brush' },
  {
    command: 'selectClass',
    chords: DIGITS.map((key) => ({ key })),
    description: 'Select class 1 to 9',
  },
  { command: 'selectBackground', chords: [{ key: '`' }], description: 'Select background' },
  { command: 'confirm', chords: [{ key: 'Enter' }], description: 'Close the polygon' },
  {
    command: 'removeLastPoint',
    chords: [{ key: 'Backspace' }],
    description: 'Remove the last polygon vertex',
  },
  { command: 'cancel', chords: [{ key: 'Escape' }], description: 'Cancel the shape or stroke' },
  { command: 'undo', chords: [{ key: 'z', mod: true }], description: 'Undo' },
  {
    command: 'redo',
    chords: [
      { key: 'z', mod: true, shift: true },
      { key: 'y', mod: true },
    ],
    description: 'Redo',
  },
];

/** The shortcut a key press runs, or null. `key` is the DOM `KeyboardEvent.key`. */
export function findShortcut(key: string, modifiers: Modifiers = {}): Shortcut | null {
  const pressed = key.length === 1 ? key.toLowerCase() : key;
  const isSymbol = key.length === 1 && key.toLowerCase() === key.toUpperCase();
  const isMod = !!(modifiers.ctrlKey || modifiers.metaKey);
  for (const shortcut of SHORTCUTS) {
    for (const chord of shortcut.chords) {
      if (chord.key !== pressed || !!chord.mod !== isMod) continue;
      if (!!chord.alt !== !!modifiers.altKey) continue;
      if (!isSymbol && !!chord.shift !== !!modifiers.shiftKey) continue;
      return shortcut;
    }
  }
  return null;
}

const KEY_NAMES: Readonly<Record<string, string>> = { Escape: 'Esc', Backspace: '⌫' };

/** A chord as a help overlay shows it: "Ctrl+Shift+Z", or "⌘⇧Z" on macOS. */
export function formatChord(chord: KeyChord, isMac: boolean): string {
  const isChar = chord.key.length === 1;
  const name = KEY_NAMES[chord.key] ?? (isChar ? chord.key.toUpperCase() : chord.key);
  const parts: string[] = [];
  if (chord.mod) parts.push(isMac ? '⌘' : 'Ctrl');
  if (chord.alt) parts.push(isMac ? '⌥' : 'Alt');
  if (chord.shift) parts.push(isMac ? '⇧' : 'Shift');
  parts.push(name);
  return parts.join(isMac ? '' : '+');
}
