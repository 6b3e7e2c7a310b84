import { describe, expect, it } from 'vitest';
import type { MaskSnapshot, SaveState } from './MaskSaver';
import { MaskSaver } from './MaskSaver';

/** A hand-driven clock and a save function whose calls the test settles. */
function harness() {
  const timers = new Map<number, { run: () => void; at: number }>();
  let now = 0;
  let nextTimer = 1;
  const calls: { snapshot: MaskSnapshot; settle: (problem: string | null) => void }[] = [];
  const states: SaveState[] = [];
  const mask = { id: 'a', width: 2, height: 1, data: Uint8Array.from([255, 255]) };
  const saver = new MaskSaver({
    save: (snapshot) => new Promise((resolve) => calls.push({ snapshot, settle: resolve })),
    onState: (s) => states.push(s),
    debounceMs: 1000,
    retryMs: [500, 2000],
    setTimer: (run, ms) => {
      timers.set(nextTimer, { run, at: now + ms });
      return nextTimer++;
    },
    clearTimer: (t) => timers.delete(t as number),
  });
  saver.attach(() => mask);
  async function advance(ms: number) {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.at <= now) {
        timers.delete(id);
        t.run();
      }
    }
    await Promise.resolve();
  }
  const settle = async (problem: string | null) => {
    calls.at(-1)!.settle(problem);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { saver, mask, calls, states, advance, settle, kinds: () => states.map((s) => s.kind) };
}

describe('MaskSaver', () => {
  it('saves once, a second after the last of several edits', async () => {
    const h = harness();
    h.saver.markEdited();
    await h.advance(600);
    h.mask.data[0] = 1;
    h.saver.markEdited();
    await h.advance(600);
    expect(h.calls).toHaveLength(0);
    await h.advance(400);
    expect(h.calls).toHaveLength(1);
    expect([...h.calls[0]!.snapshot.data]).toEqual([1, 255]);
    await h.settle(null);
    expect(h.kinds()).toEqual(['unsaved', 'saving', 'saved']);
    expect(h.saver.isDirty).toBe(false);
  });

  it('sends a copy, and saves again when an edit lands during a save', async () => {
    const h = harness();
    h.saver.markEdited();
    await h.advance(1000);
    h.mask.data[1] = 0;
    h.saver.markEdited();
    expect([...h.calls[0]!.snapshot.data]).toEqual([255, 255]);
    await h.settle(null);
    expect(h.saver.currentState.kind).toBe('unsaved');
    await h.advance(1000);
    expect(h.calls).toHaveLength(2);
    expect([...h.calls[1]!.snapshot.data]).toEqual([255, 0]);
  });

  it('keeps the edits after a failed save, says why, and retries until it lands', async () => {
    const h = harness();
    h.saver.markEdited();
    await h.advance(1000);
    await h.settle('disk full');
    expect(h.saver.currentState).toEqual({ kind: 'failed', reason: 'disk full' });
    expect(h.saver.isDirty).toBe(true);
    await h.advance(500);
    expect(h.calls).toHaveLength(2);
    await h.settle('disk full');
    await h.advance(1999);
    expect(h.calls).toHaveLength(2);
    await h.advance(1);
    expect(h.calls).toHaveLength(3);
    await h.settle(null);
    expect(h.saver.currentState.kind).toBe('saved');
  });

  it('flush saves at once and waits; a clean saver sends nothing', async () => {
    const h = harness();
    expect(await h.saver.flush()).toBe(true);
    expect(h.calls).toHaveLength(0);
    h.saver.markEdited();
    const flushed = h.saver.flush();
    await Promise.resolve();
    expect(h.calls).toHaveLength(1);
    await h.settle(null);
    expect(await flushed).toBe(true);
  });

  it('a save for a detached image never marks the new one saved', async () => {
    const h = harness();
    h.saver.markEdited();
    await h.advance(1000);
    const other = { id: 'b', width: 1, height: 1, data: Uint8Array.from([3]) };
    h.saver.attach(() => other);
    h.saver.markEdited();
    await h.settle(null);
    expect(h.saver.isDirty).toBe(true);
  });
});

describe('MaskSaver across images', () => {
  it('saves the new image once the old image’s save returns', async () => {
    const h = harness();
    h.saver.markEdited();
    await h.advance(1000);
    const other = { id: 'b', width: 1, height: 1, data: Uint8Array.from([3]) };
    h.saver.attach(() => other);
    h.saver.markEdited();
    await h.advance(1000);
    expect(h.calls).toHaveLength(1);
    await h.settle(null);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1]!.snapshot.id).toBe('b');
    await h.settle(null);
    expect(h.saver.isDirty).toBe(false);
  });
});
