import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PublishedRoute } from '../publish/published-routes.ts';

/** Files written at once: rendering (this thread) overlaps the disk. */
const WRITES_IN_FLIGHT = 16;

/** Renders each route and writes it under `outDir`; calls `written` per file. Returns the bytes written. */
export async function writeRoutes(routes: Iterable<PublishedRoute>, outDir: string, written: (file: string) => void): Promise<number> {
  const made = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let bytes = 0;
  for (const route of routes) {
    const body = await route.representation.body();
    if (!(body instanceof Uint8Array)) throw new Error(`${route.path}: no rendered bytes`);
    const path = join(outDir, route.file);
    const dir = dirname(path);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    const write: Promise<void> = writeFile(path, body).then(() => {
      inFlight.delete(write);
      written(route.file);
    });
    inFlight.add(write);
    bytes += body.byteLength;
    if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return bytes;
}
