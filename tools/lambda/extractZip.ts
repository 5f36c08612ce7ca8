import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';

/**
 * Extracts a zip (a function's code) into a new temporary directory named after `prefix`, and
 * returns the directory; the caller removes it. yauzl, which osls itself depends on, rather than an
 * `unzip` program the machine may not have.
 */
export async function extractZip(zipFile: string, prefix: string): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), `${prefix}-`));
  try {
    const zip = await openPromise(zipFile, { strictFileNames: true });
    try {
      for await (const entry of zip.eachEntry()) {
        const target = resolve(directory, entry.fileName);
        // yauzl already refuses absolute and '..' names; this keeps every write inside the directory regardless.
        if (!target.startsWith(directory + sep)) throw new Error(`${zipFile}: entry ${entry.fileName} points outside the directory`);
        if (entry.fileName.endsWith('/')) {
          mkdirSync(target, { recursive: true });
          continue;
        }
        mkdirSync(dirname(target), { recursive: true });
        await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
      }
    } finally {
      zip.close();
    }
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return directory;
}
