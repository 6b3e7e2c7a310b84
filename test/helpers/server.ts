/** Starts `skipseg serve` as its own process, as a user would, and reads its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServeProcess {
  url: string;
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

export function serve(projectDir: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'skipseg.mjs'), 'serve', '--project', projectDir],
    {
      cwd: root,
      env: { ...process.env, SKIPSEG_LOG: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not print a URL:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        base: new URL(url).origin,
        child,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}
