// The part of yauzl 3 (an unzip library osls already depends on; a devDependency here) that
// tools/lambda/extractZip.ts and the package tests use; yauzl ships no types and @types/yauzl lags its promise API.
declare module 'yauzl' {
  import type { Readable } from 'node:stream';

  /** One entry of the central directory; directory names end with '/'. */
  export interface Entry {
    fileName: string;
    uncompressedSize: number;
    externalFileAttributes: number;
  }

  /** An open zip file. */
  export interface ZipFile {
    eachEntry(): AsyncIterable<Entry>;
    openReadStreamPromise(entry: Entry): Promise<Readable>;
    close(): void;
  }

  /** Opens a zip file; names are validated (no absolute paths, no '..'). */
  export function openPromise(path: string, options?: { lazyEntries?: boolean; strictFileNames?: boolean }): Promise<ZipFile>;
}
