#!/usr/bin/env node
// `npm start`: the Electron app where Electron's binary is (or can be) installed, else the
// web mode on the same services with one sentence saying why. `npm run serve` passes --web.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const forwarded = args.filter((a) => a !== '--web');

buildIfStale();
if (webOnly) await runWeb(forwarded);
else {
  const electron = electronBinary();
  if (electron.path) {
    const child = spawn(electron.path, [root, ...forwarded], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else if (forwarded.includes('--doctor')) {
    // The app's doctor runs its engine as the app would; without Electron, the CLI's does.
    console.log(`No Electron: ${electron.why}. What the engine finds under plain Node:`);
    const { register } = await import('tsx/esm/api');
    register();
    const { main } = await import('../src-main/cli.ts');
    process.exit(await main(['doctor']));
  } else {
    console.log(
      `No Electron window: ${electron.why}. On a machine with internet, \`npm start\` downloads it ` +
        'and opens the app; until then SkipSeg runs in your browser (web mode).',
    );
    await runWeb(forwarded);
  }
}

async function runWeb(rest) {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src-main/cli.ts');
  const code = await main(['serve', ...rest]);
  if (code !== 0) process.exit(code);
}

/** The Electron binary's path, downloading it once if the install skipped it. */
function electronBinary() {
  const require = createRequire(import.meta.url);
  const find = () => {
    try {
      const path = require('electron');
      return typeof path === 'string' && existsSync(path) ? path : null;
    } catch {
      return null;
    }
  };
  try {
    require.resolve('electron/package.json');
  } catch {
    return { path: null, why: 'the electron package is not installed (run `npm install`)' };
  }
  let path = find();
  if (path) return { path };
  // npm's allowScripts keeps electron's download out of `npm install`, so that the install
  // succeeds offline; the first start fetches the binary instead.
  console.log('Downloading Electron (once)...');
  const install = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  path = find();
  if (path) return { path };
  const line = (install.stderr || install.stdout || '')
    .split('\n')
    .find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN/i.test(l));
  const reason = line
    ? line.trim().replace(/^.*?(Error:|RequestError:)\s*/, '')
    : 'the download failed';
  return { path: null, why: `Electron's binary could not be downloaded (${reason})` };
}

/** Builds out/ with electron-vite when it is missing or older than the sources. */
function buildIfStale() {
  const built = join(root, 'out/renderer/index.html');
  const sources = ['src-renderer', 'src-main/electron', 'shared', 'electron.config.ts'].map((p) =>
    join(root, p),
  );
  if (existsSync(built) && newest(sources) <= statSync(built).mtimeMs) return;
  console.log('Building the app (first start, or sources changed)...');
  const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const result = spawnSync(
    process.execPath,
    [cli, 'build', '--config', 'electron.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error('The build failed (see above); fix it, or run `npm run build` to retry.');
    process.exit(1);
  }
}

function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const info = statSync(path);
    if (info.isDirectory())
      latest = Math.max(latest, newest(readdirSync(path).map((n) => join(path, n))));
    else latest = Math.max(latest, info.mtimeMs);
  }
  return latest;
}
