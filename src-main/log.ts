/**
 * The one logger of the main side: levels, console and a log file in the user data folder.
 * Debug lines are kept out unless SKIPSEG_LOG=debug; `SKIPSEG_LOG=warn` quiets a CLI run.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string, err?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

let threshold: LogLevel = parseLevel(process.env.SKIPSEG_LOG) ?? 'info';
let logFile: string | null = null;

function parseLevel(value: string | undefined): LogLevel | null {
  return value && value in RANK ? (value as LogLevel) : null;
}

/** Sends every later line to `file` as well as the console; a failure to write it is ignored. */
export function setLogFile(file: string | null): void {
  logFile = file;
  if (file) mkdirSync(dirname(file), { recursive: true });
}

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function createLogger(scope: string): Logger {
  const write = (level: LogLevel, message: string) => {
    if (RANK[level] > RANK[threshold]) return;
    const line = `${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${message}`;
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
    if (logFile) {
      try {
        appendFileSync(logFile, line + '\n');
      } catch {
        // The console already has the line; a full disk must not stop the app.
      }
    }
  };
  return {
    error: (message, err) => write('error', err ? `${message}: ${describe(err)}` : message),
    warn: (message) => write('warn', message),
    info: (message) => write('info', message),
    debug: (message) => write('debug', message),
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return RANK[threshold] >= RANK.debug ? String(err.stack) : err.message;
  return String(err);
}
