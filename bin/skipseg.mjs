#!/usr/bin/env node
// The `skipseg` command: runs the TypeScript CLI in src-main/cli.ts under plain Node via tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli.ts');
process.exitCode = await main(process.argv.slice(2));
