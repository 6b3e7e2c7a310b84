/** Command-line options of the desktop app, parsed without `electron` so they can be tested. */
import { resolve } from 'node:path';

/**
 * The folder given as `--project DIR` or `--project=DIR`, absolute against `cwd`, or null.
 * Works for both `electron . --project x` and a packaged `skipseg --project x`.
 */
export function projectDirFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = arg.startsWith('--project=') ? arg.slice('--project='.length) : undefined;
    const dir = arg === '--project' ? argv[i + 1] : inline;
    if (dir !== undefined) return dir && !dir.startsWith('--') ? resolve(cwd, dir) : null;
  }
  return null;
}
