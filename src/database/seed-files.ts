import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The `seeds/` folder, found from this file whether it runs from `src/` (ts-jest),
 * `dist/src/` (compiled) or a Docker image that copies `seeds/` beside `dist/`.
 */
export function seedsDir(): string {
  const candidates = [
    resolve(__dirname, '../../seeds'),
    resolve(__dirname, '../../../seeds'),
    resolve(process.cwd(), 'seeds'),
  ];
  const found = candidates.find((c) => existsSync(join(c, 'hw-catalog.csv')));
  if (!found) throw new Error(`seeds folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const seedFile = (name: string): string => join(seedsDir(), name);
