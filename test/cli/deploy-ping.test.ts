import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, stopHubs } from '../support/websub-hub-process.ts';
import { buildContent } from '../../src/cli/build-content.ts';

const root = mkdtempSync(join(tmpdir(), 'topic-feeds-deploy-ping-'));
afterAll(() => {
  stopHubs();
  rmSync(root, { recursive: true, force: true });
});


describe('WebSub after a build and deploy', () => {
  it('build:content records exactly the changed feeds, and ping:hub sends them', async () => {
    const content = join(root, 'content');
    const out = join(root, 'generated');
    cpSync('test/fixtures/seed-shaped', content, { recursive: true });
    const env = { SITE_URL: 'https://feeds.example.org' };
    await buildContent({ contentDir: content, outDir: out, env, threshold: 1000 });
    expect(JSON.parse(readFileSync(join(out, 'changed-feeds.json'), 'utf8'))).toEqual([]);

    // Edit the one document: its lastMod moves, so its three feeds change in every format.
    const file = join(content, 'seed-shaped.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace("lastMod: '2021-01-13T12:06:42.641959Z'", "lastMod: '2021-01-14T08:00:00.000001Z'"));
    await buildContent({ contentDir: content, outDir: out, env, threshold: 1000 });
    const changed = JSON.parse(readFileSync(join(out, 'changed-feeds.json'), 'utf8')) as string[];
    const expected = [
      'https://feeds.example.org/',
      'https://feeds.example.org/topic/healthcare-it-news-cybersecurity/',
      'https://feeds.example.org/topic/u-s-food-and-drug-administration-fda-vaccines-blood-biologics/',
    ].flatMap((base) => ['atom.xml', 'feed.json', 'rss.xml'].map((f) => `${base}${f}`));
    expect(changed).toEqual(expected.sort());

    const hub = (await startHub()).url;
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/ping-hub.ts', '--changed', join(out, 'changed-feeds.json')], {
      env: { ...process.env, WEBSUB_HUB: hub },
      stdio: 'pipe',
    });
    const received = (await (await fetch(`${hub}pings`)).json()) as { pings: { urls: string[] }[] };
    expect(received.pings.map((p) => p.urls)).toEqual([expected.sort()]);
  });
});
