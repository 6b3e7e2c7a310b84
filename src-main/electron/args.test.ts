import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectDirFromArgv } from './args';

describe('projectDirFromArgv', () => {
  const cwd = resolve('/home/me');

  it('reads --project DIR and --project=DIR, absolute against cwd', () => {
    expect(projectDirFromArgv(['electron', '.', '--project', 'p'], cwd)).toBe(resolve(cwd, 'p'));
    expect(projectDirFromArgv(['skipseg', '--project=/data/p'], cwd)).toBe(resolve('/data/p'));
  });

  it('is null when the option is absent or has no value', () => {
    expect(projectDirFromArgv(['skipseg'], cwd)).toBeNull();
    expect(projectDirFromArgv(['skipseg', '--project'], cwd)).toBeNull();
    expect(projectDirFromArgv(['skipseg', '--project='], cwd)).toBeNull();
    expect(projectDirFromArgv(['skipseg', '--project', '--verbose'], cwd)).toBeNull();
  });
});
