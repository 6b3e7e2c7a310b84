/** What the fine-tune service needs from its owner (Core) and of the engine. */
import type { EventName, EventPayloads } from '../../shared/ipc';
import type { EngineClient } from '../engine/client';
import type { Project } from '../project/project';

/** The engine as the fine-tune uses it: an EngineClient, or a stand-in in tests. */
export type EngineHandle = Pick<EngineClient, 'start' | 'run' | 'cancel'> &
  Partial<Pick<EngineClient, 'onLifecycle' | 'restart' | 'wanted'>>;

export interface FineTuneHost {
  /** Null where no engine runs: fine-tunes and proposals are then refused. */
  readonly engine: EngineHandle | null;
  /** The open project: events about another one (opened since) are not sent. */
  currentProject(): Project | null;
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void;
}
