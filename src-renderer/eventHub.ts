import type { EventName, EventPayloads } from '../shared/ipc';
import { EVENT_NAMES } from '../shared/channels';

type Listener = (payload: unknown) => void;

/**
 * Fans events pushed from main out to listeners by name. Both transports feed it, so the
 * rest of the renderer subscribes the same way in Electron and in a browser.
 */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>();

  /** Calls `listener` for every `name` event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(name) ?? new Set<Listener>();
    this.listeners.set(name, set);
    // The payload's type is the contract's promise for this name (shared/ipc.ts).
    const untyped = listener as Listener;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  /** Delivers an event; a name outside the contract is dropped with a warning. */
  emit(name: string, payload: unknown): void {
    if (!(EVENT_NAMES as readonly string[]).includes(name)) {
      console.warn(`dropped an event with an unknown name: ${name}`);
      return;
    }
    for (const listener of this.listeners.get(name as EventName) ?? []) {
      // One failing listener must not keep the event from the others.
      try {
        listener(payload);
      } catch (err) {
        console.error(`a listener for ${name} failed`, err);
      }
    }
  }
}
