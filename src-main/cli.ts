/**
 * The `skipseg` command line, under plain Node:
 *   skipseg serve [--project DIR] [--port N] [--open]   web mode on a project (default: the sample)
 *   skipseg create DIR [--name NAME] [--add PATH...]     make a project and import images
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { Core } from './core';
import { createLogger, setLogFile } from './log';
import { appRoot, userDataDir } from './paths';
import { Project } from './project/project';
import { ensureSampleProject } from './sample';
import { startWebServer } from './web/server';

const log = createLogger('cli');

const USAGE = `usage:
  skipseg serve [--project DIR] [--port N]   run the app in a browser (web mode)
  skipseg create DIR [--name NAME] [--add PATH ...]   create a project, optionally importing images`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'create':
        return await create(rest);
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
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: "${values.port}" is not a port`);
  setLogFile(join(userDataDir(), 'logs', 'web.log'));

  const core = new Core({ version: version(), transport: 'web' });
  const dir = values.project
    ? resolve(values.project)
    : (await ensureSampleProject(userDataDir(), join(appRoot(), 'assets'))).dir;
  const opened = await core.dispatch('project:open', { dir });
  if (!opened.ok) throw new Error(opened.error.message);

  const server = await startWebServer({ core, rendererDir: join(appRoot(), 'out', 'renderer'), port });
  console.log(`SkipSeg is running at ${server.url}`);
  console.log('Open that address in a browser; press Ctrl+C to stop.');
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
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
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
