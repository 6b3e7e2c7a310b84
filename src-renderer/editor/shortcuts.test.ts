import { describe, expect, it } from 'vitest';
import { findShortcut, formatChord, SHORTCUTS } from './shortcuts';

describe('shortcut table', () => {
  it('is the table the key handler reads: every chord finds its own row', () => {
    for (const shortcut of SHORTCUTS) {
      for (const chord of shortcut.chords) {
        const modifiers = { ctrlKey: chord.mod, shiftKey: chord.shift, altKey: chord.alt };
        expect(findShortcut(chord.key, modifiers)).toBe(shortcut);
      }
    }
  });

  it('binds no chord twice and describes every row', () => {
    const seen = new Set<string>();
    for (const shortcut of SHORTCUTS) {
      expect(shortcut.description.length).toBeGreaterThan(3);
      for (const chord of shortcut.chords) {
        const id = formatChord(chord, false);
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it('treats Cmd as Ctrl, and ignores Shift on symbol and digit keys only', () => {
    expect(findShortcut('z', { metaKey: true })?.command).toBe('undo');
    expect(findShortcut('Z', { metaKey: true, shiftKey: true })?.command).toBe('redo');
    expect(findShortcut(']', { shiftKey: true })?.command).toBe('brush:grow');
    expect(findShortcut('3', { shiftKey: true })?.command).toBe('selectClass');
    expect(findShortcut('P', { shiftKey: true })).toBeNull();
    expect(findShortcut('z', { altKey: true, ctrlKey: true })).toBeNull();
  });

  it('formats chords for the help overlay', () => {
    const redo = { key: 'z', mod: true, shift: true };
    expect(formatChord(redo, false)).toBe('Ctrl+Shift+Z');
    expect(formatChord(redo, true)).toBe('⌘⇧Z');
    expect(formatChord({ key: 'Escape' }, false)).toBe('Esc');
    expect(formatChord({ key: '[' }, true)).toBe('[');
  });
});
