/**
 * Migration hook for `project.json`. A project written by an older SkipSeg is upgraded
 * step by step on open, before validation; a newer one is refused rather than guessed at.
 */
import { AppError } from './errors';
import { PROJECT_SCHEMA_VERSION } from './project';

/** Upgrades raw JSON of version `from` to version `from + 1`. */
export type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;

/**
 * Keyed by the version a step starts from. Version 1 is the first released format, so
 * there is nothing to migrate yet; a version 2 adds `1: (raw) => ({ ...raw, ... })` here.
 */
export const PROJECT_MIGRATIONS: Readonly<Record<number, Migration>> = {};

export type MigrationCode = 'NOT_AN_OBJECT' | 'BAD_VERSION' | 'NEWER_VERSION' | 'NO_MIGRATION';

export function migrateProjectJson(
  raw: unknown,
  migrations: Readonly<Record<number, Migration>> = PROJECT_MIGRATIONS,
  target = PROJECT_SCHEMA_VERSION,
): { value: Record<string, unknown>; migratedFrom: number | null } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AppError<MigrationCode>('NOT_AN_OBJECT', 'project.json does not hold a JSON object');
  }
  let value = raw as Record<string, unknown>;
  const start = value.schemaVersion;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 1) {
    throw new AppError<MigrationCode>(
      'BAD_VERSION',
      'schemaVersion: expected a positive whole number',
    );
  }
  if (start > target) {
    throw new AppError<MigrationCode>(
      'NEWER_VERSION',
      `schemaVersion: ${start} is newer than this SkipSeg understands (${target}); update SkipSeg`,
    );
  }
  for (let version = start; version < target; version++) {
    const step = migrations[version];
    if (!step) {
      throw new AppError<MigrationCode>('NO_MIGRATION', `schemaVersion: no way from ${version}`);
    }
    value = { ...step(value), schemaVersion: version + 1 };
  }
  return { value, migratedFrom: start === target ? null : start };
}
