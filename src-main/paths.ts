/**
 * Where SkipSeg keeps its own files on this machine (not inside projects): logs and the
 * sample project. SKIPSEG_HOME overrides the folder; Electron passes app.getPath('userData').
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function userDataDir(): string {
  if (process.env.SKIPSEG_HOME) return resolve(process.env.SKIPSEG_HOME);
  if (process.platform === 'win32' && process.env.APPDATA)
    return join(process.env.APPDATA, 'SkipSeg');
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'SkipSeg');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'SkipSeg');
}

/** The repository (or packaged app) root: two levels above this file in src-main/. */
export function appRoot(): string {
  return resolve(import.meta.dirname, '..');
}
