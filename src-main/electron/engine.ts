/**
 * The engine inside the app: Electron's utilityProcess running the bundled engine entry
 * (out/main/engine.js), so tfjs-node and training live outside the window's process and a
 * crash there costs the job, never the window or unsaved labels.
 */
import { join } from 'node:path';
import { utilityProcess } from 'electron';
import { parseBackendId } from '../../shared/engineProtocol';
import type { FromEngine } from '../../shared/engineProtocol';
import { EngineClient, type EngineChild } from '../engine/client';
import { createLogger } from '../log';

const log = createLogger('engine');

function forkUtilityEngine(): EngineChild {
  const child = utilityProcess.fork(join(import.meta.dirname, 'engine.js'), [], {
    serviceName: 'SkipSeg engine',
    stdio: 'inherit',
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', (message: FromEngine) => listener(message)),
    onExit: (listener) => void child.once('exit', (code) => listener(code, null)),
    kill: () => void child.kill(),
  };
}

/** The engine client over a utilityProcess; nothing starts until its first use. */
export function createEngine(): EngineClient {
  return new EngineClient({
    backend: parseBackendId(process.env.SKIPSEG_BACKEND),
    spawn: forkUtilityEngine,
    onLog: (level, message) => (level === 'warn' ? log.warn(message) : log.info(message)),
  });
}
