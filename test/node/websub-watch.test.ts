/**
 * WebSub end to end: the real server in watch mode, a hub process on
 * loopback, one edited document, and exactly its feeds pinged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, stopHubs } from '../support/websub-hub-process.ts';
import type { RunningServer } from '../support/server-process.ts';
import { startServer, waitFor } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

const root = mkdtempSync(join(tmpdir(), 'topic-feeds-websub-watch-'));
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  stopHubs();
  rmSync(root, { recursive: true, force: true });
});


function doc(n: number, topic: 'safety' | 'privacy', lastMod: string): string {
  const [name, slug, label] = topic === 'safety' ? ['Example Wire: Safety', 'example-wire-safety', 'Safety'] : ['Example Wire: Privacy', 'example-wire-privacy', 'Privacy'];
  return documentSource(goodFields(n, { lastMod, categories: [name], categoryUrl: [`topic/${slug}`], categoryLabel: [label] }), `<p>Body ${n}</p>`);
}

describe('WebSub pings from watch mode', () => {
  it('pings exactly the feeds whose bytes changed, after they are served', async () => {
    const hub = (await startHub()).url;
    writeFileSync(join(root, 'a.md'), doc(1, 'safety', '2024-02-01T08:00:00.000001Z'));
    writeFileSync(join(root, 'b.md'), doc(2, 'privacy', '2024-02-01T08:00:00.000002Z'));
    server = await startServer({ contentDir: root, env: { WEBSUB_HUB: hub, SITE_URL: 'https://feeds.example.org' } });
    const origin = server.origin;
    const before = (await fetch(`${origin}/topic/example-wire-safety/feed.json`)).headers.get('etag');

    writeFileSync(join(root, 'a.md'), doc(1, 'safety', '2024-03-01T08:00:00.000001Z'));
    const pings = await waitFor('a publish ping', async () => {
      const state = (await (await fetch(`${hub}pings`)).json()) as { pings: { urls: string[] }[] };
      return state.pings.length > 0 ? state.pings : undefined;
    });
    const expected = ['https://feeds.example.org/', 'https://feeds.example.org/topic/example-wire-safety/'].flatMap((base) =>
      ['atom.xml', 'feed.json', 'rss.xml'].map((file) => `${base}${file}`),
    );
    expect(pings.flatMap((p) => p.urls).sort()).toEqual(expected.sort());
    // The pinged feed already serves the new bytes.
    expect((await fetch(`${origin}/topic/example-wire-safety/feed.json`)).headers.get('etag')).not.toBe(before);
  });
});
