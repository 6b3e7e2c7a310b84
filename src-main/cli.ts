/**
 * The `skipseg` command line, under plain Node:
 *   skipseg serve [--project DIR] [--port N] [--open]   web mode on a project (default: the sample)
 *   skipseg create DIR [--name NAME] [--add PATH...]     make a project and import images
 *   skipseg doctor | train | predict | eval | compare | bench   the engine (see USAGE)
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseBackendId } from '../shared/engineProtocol';
import { Core } from './core';
import { EngineClient } from './engine/client';
import { createLogger, setLogFile } from './log';
import { appRoot, userDataDir } from './paths';
import { Project } from './project/project';
import { ensureSampleProject } from './sample';
import { startWebServer } from './web/server';

const log = createLogger('cli');

const USAGE = `usage:
  skipseg serve [--project DIR] [--port N]   run the app in a browser (web mode)
  skipseg create DIR [--name NAME] [--add PATH ...]   create a project, optionally importing images
  skipseg doctor [--json]   which compute backends work here, and why the others do not
  skipseg train --images DIR --masks DIR [--val-images DIR --val-masks DIR | --val-fraction F]
      [--arch encdec|unet|unet-res|fcn8s|deeplabv3plus] [--base N] [--depth N]
      [--seconds N | --epochs N] [--batch N] [--tile N] [--seed N] [--lr X] [--init MODEL_DIR]
      [--backend B] --out MODEL_DIR [--json]
      (--batch and --tile left out: the largest, up to 4 and 256, that fit the backend's memory)
  skipseg predict --model MODEL_DIR --input FILE|DIR --out DIR [--backend B]
  skipseg eval --model MODEL_DIR --images DIR --masks DIR [--backend B] [--json]
  skipseg compare (--project DIR | --images DIR --masks DIR
      [--val-images DIR --val-masks DIR | --val-fraction F] --out DIR)
      [--archs A,B,...|all] [--seconds N | --epochs N] [train's other flags] [--json]
      (each architecture trains on the same data, split, seed and budget; the table compares
      region and boundary metrics; DIR gets the models, their validation masks, compare.json)
  skipseg bench [--arch A|all] [--size N] [--batch N] [--runs N] [--backend B] [--json]`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'create':
        return await create(rest);
      case 'doctor':
        // Loaded on demand: tfjs must not slow down or clutter `serve`.
        return await (await import('./cliMeasure')).doctorCommand(rest);
      case 'train':
        return await (await import('./cliEngine')).trainCommand(rest);
      case 'predict':
        return await (await import('./cliEngine')).predictCommand(rest);
      case 'eval':
        return await (await import('./cliEngine')).evalCommand(rest);
      case 'compare':
        return await (await import('./cliEngine')).compareCommand(rest);
      case 'bench':
        return await (await import('./cliMeasure')).benchCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        console.log(USAGE);
        return command === undefined ? 1 : 0;
      default:
        console.error(`skipseg: unknown command "${command}"\n${USAGE}`);
        return 1;
    }
  } catch (err) {
    // Expected failures (a bad project, a bad flag) are one sentence, not a stack trace.
    console.error(`skipseg ${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { project: { type: 'string' }, port: { type: 'string' } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: "${values.port}" is not a port`);
  setLogFile(join(userDataDir(), 'logs', 'web.log'));

  // The engine starts beside the server so the status bar can say which backend runs; the
  // core fine-tunes and proposes through it.
  const engine = new EngineClient({
    backend: parseBackendId(process.env.SKIPSEG_BACKEND),
    onLog: (level, message) => (level === 'warn' ? log.warn(message) : log.info(message)),
  });
  const core = new Core({ version: version(), transport: 'web', engine });
  const dir = values.project
    ? resolve(values.project)
    : (await ensureSampleProject(userDataDir(), join(appRoot(), 'assets'))).dir;
  const opened = await core.dispatch('project:open', { dir });
  if (!opened.ok) throw new Error(opened.error.message);

  const server = await startWebServer({
    core,
    rendererDir: join(appRoot(), 'out', 'renderer'),
    port,
  });
  console.log(`SkipSeg is running at ${server.url}`);
  console.log('Open that address in a browser; press Ctrl+C to stop.');

  core.startEngine();
  await new Promise<void>((done) => {
    const stop = () => void Promise.all([server.close(), engine.stop()]).then(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('web mode stopped');
  return 0;
}

async function create(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, add: { type: 'string', multiple: true } },
  });
  const dir = positionals[0];
  if (!dir) throw new Error('give the folder of the new project');
  const project = await Project.create(dir, values.name ?? 'Untitled');
  if (values.add?.length) {
    const { added, skipped } = await project.addImages(values.add);
    console.log(`${added.length} images imported, ${skipped.length} skipped`);
    for (const s of skipped) console.log(`  skipped ${s.reason}`);
  }
  console.log(`created ${project.dir}`);
  return 0;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
