import { describe, expect, it } from 'vitest';
import { APP_SHORTCUTS, findAppCommand } from './appShortcuts';
import { SHORTCUTS, findShortcut } from './shortcuts';

describe('app shortcuts', () => {
  it('finds commands by key, case-insensitively, and never with Ctrl, Cmd or Alt', () => {
    expect(findAppCommand('0', {})).toBe('fit');
    expect(findAppCommand('M', {})).toBe('toggleMask');
    expect(findAppCommand('ArrowRight', {})).toBe('nextImage');
    expect(findAppCommand('d', { ctrlKey: true })).toBeNull();
    expect(findAppCommand('x', {})).toBeNull();
  });

  it('shares no key with the editor core, so the help lists one meaning per key', () => {
    for (const shortcut of APP_SHORTCUTS) {
      for (const chord of shortcut.chords) {
        expect(findShortcut(chord.key, {}), `${chord.key} is taken twice`).toBeNull();
      }
    }
    const coreKeys = SHORTCUTS.flatMap((s) => s.chords.filter((c) => !c.mod).map((c) => c.key));
    for (const key of coreKeys) expect(findAppCommand(key, {}), key).toBeNull();
  });
});
