/**
 * Watch-mode updates: one changed file re-parses that file, patches the
 * index, and re-renders only the feeds whose window it enters, leaves or sits
 * in. Broken edits never take other documents down, and the catalog (Hono)
 * and the fast table always change together.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GeneratedDocument } from '../../scripts/generate-corpus.ts';
import { generateDocumentText } from '../../scripts/generate-corpus.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { FeedDocument } from '../../src/content/document.ts';
import { FEED_RENDERERS } from '../../src/feeds/render.ts';
import type { FeedRenderer } from '../../src/feeds/render.ts';
import type { TopicIndex } from '../../src/topics/topic-index.ts';
import { buildTopicIndex } from '../../src/topics/topic-index.ts';
import { patchTopicIndex } from '../../src/topics/index-patch.ts';
import { LiveSite, defaultPaths } from '../../src/node/live.ts';
import { writeCorpus } from '../support/corpus.ts';

const LIMIT = 5;
const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', FEED_LIMIT: String(LIMIT) });

let root: string;
let documents: GeneratedDocument[];
let live: LiveSite;
let renders = 0;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'topic-feeds-live-'));
  documents = writeCorpus(root, 40);
  live = (await LiveSite.start({ site, contentDir: root, threads: 0 })).live;
  await live.warm(false);
  renders = 0;
  for (const format of ['rss', 'atom', 'json'] as const) {
    const original = FEED_RENDERERS[format];
    vi.spyOn(FEED_RENDERERS as Record<string, FeedRenderer>, format).mockImplementation((view) => {
      renders += 1;
      return original(view);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

const pathOf = (document: GeneratedDocument): string => join(root, document.relativePath);
const byFile = (file: string): FeedDocument | undefined => live.catalog.index.all.find((d) => d.file === file);

/** Scopes (overall, topics) whose feed window shows a document with this id. */
function windowsShowing(index: TopicIndex, id: string): number {
  let scopes = index.all.slice(0, LIMIT).some((d) => d.id === id) ? 1 : 0;
  for (const topic of index.topics.values()) if (topic.documents.slice(0, LIMIT).some((d) => d.id === id)) scopes += 1;
  return scopes;
}

/** The index as plain data, to compare a patched one with a full build. */
function shape(index: TopicIndex): unknown {
  return {
    all: index.all.map((d) => d.id),
    topics: [...index.topics].map(([slug, entry]) => [slug, entry.summary, entry.documents.map((d) => d.id)]),
    list: index.topicList,
  };
}

function expectIndexLikeFullBuild(): void {
  expect(shape(live.catalog.index)).toEqual(shape(buildTopicIndex(live.store.loadResult().documents)));
}

function newestIn(slug: string): GeneratedDocument {
  const newest = live.catalog.index.topics.get(slug)!.documents[0]!;
  return documents.find((d) => newest.file === d.relativePath)!;
}

describe('LiveSite.apply', () => {
  it('re-renders only the feeds whose window shows the edited document', async () => {
    const [slug] = live.catalog.index.topics.keys();
    const target = newestIn(slug!);
    const showing = windowsShowing(live.catalog.index, String(target.id));
    const before = live.table;
    const unchanged = defaultPaths(live.catalog.index).filter((path) => path.endsWith('.xml') || path.endsWith('.json'));
    const oldSlots = new Map(unchanged.map((path) => [path, before.lookup(path)]));

    writeFileSync(pathOf(target), target.text.replace(/^title: .*$/m, 'title: Edited headline'));
    const update = live.apply([pathOf(target)]);
    expect(update?.files).toEqual([target.relativePath]);
    await live.warm(false);

    expect(showing).toBeGreaterThan(0);
    expect(renders).toBe(3 * showing);
    expect(byFile(target.relativePath)?.title).toBe('Edited headline');
    const body = live.table.lookup(`/topic/${slug}/rss.xml`)!.render().body.toString('utf8');
    expect(body).toContain('Edited headline');
    // Every other feed keeps its rendered bytes (the same slot, not a re-render).
    let kept = 0;
    for (const [path, slot] of oldSlots) if (live.table.lookup(path) === slot) kept += 1;
    expect(kept).toBe(unchanged.length - 3 * showing);
    expectIndexLikeFullBuild();
  });

  it('re-renders nothing when a file is saved unchanged', async () => {
    const target = documents[3]!;
    writeFileSync(pathOf(target), target.text);
    expect(live.apply([pathOf(target)])).toBeUndefined();
    await live.warm(false);
    expect(renders).toBe(0);
  });

  it('re-renders the windows a document leaves when it moves back in time', async () => {
    const [slug] = live.catalog.index.topics.keys();
    const target = newestIn(slug!);
    const before = windowsShowing(live.catalog.index, String(target.id));
    writeFileSync(pathOf(target), target.text.replace(/^date: .*$/m, "date: '2001-01-01'").replace(/^lastMod: .*$/m, "lastMod: '2001-01-01T00:00:00.000001Z'"));
    live.apply([pathOf(target)]);
    await live.warm(false);
    expect(windowsShowing(live.catalog.index, String(target.id))).toBe(0);
    expect(renders).toBe(3 * before);
    expectIndexLikeFullBuild();
  });

  it('applies additions and deletions, and keeps the catalog and the fast table in step', async () => {
    const count = live.catalog.index.all.length;
    const added = generateDocumentText(500, { seed: 7, topics: 6, filesPerFolder: 10 });
    const addedPath = join(root, 'new.md');
    writeFileSync(addedPath, added.text);
    live.apply([addedPath]);
    expect(live.catalog.index.all.length).toBe(count + 1);
    expect(live.table.catalog).toBe(live.catalog);
    expectIndexLikeFullBuild();

    unlinkSync(pathOf(documents[0]!));
    live.apply([pathOf(documents[0]!)]);
    expect(live.catalog.index.all.length).toBe(count);
    expect(byFile(documents[0]!.relativePath)).toBeUndefined();
    expect(live.table.catalog).toBe(live.catalog);
    expectIndexLikeFullBuild();
  });

  it('a broken edit takes only that document out, reports it, and leaves the old snapshot intact', async () => {
    const target = documents[5]!;
    const previous = live.catalog;
    const others = live.catalog.index.all.filter((d) => d.file !== target.relativePath).map((d) => d.id);
    writeFileSync(pathOf(target), '---\ntitle: [broken\n---\n');
    const update = live.apply([pathOf(target)])!;
    expect(update.problems.map((p) => p.file)).toContain(target.relativePath);
    expect(live.catalog.index.all.map((d) => d.id)).toEqual(others);
    expect(live.catalog.problems.some((p) => p.file === target.relativePath)).toBe(true);
    expect(previous.index.all.some((d) => d.file === target.relativePath)).toBe(true); // still whole for requests in flight

    writeFileSync(pathOf(target), target.text);
    live.apply([pathOf(target)]);
    expect(byFile(target.relativePath)).toBeDefined();
    expect(live.catalog.problems.some((p) => p.file === target.relativePath)).toBe(false);
    expectIndexLikeFullBuild();
  });

  it('an edit that takes another document\'s id leaves the served one in place', async () => {
    const [a, b] = [documents[1]!, documents[2]!];
    const text = b.text.replace(/^id: .*$/m, `id: ${a.id}`);
    writeFileSync(pathOf(b), text);
    live.apply([pathOf(b)]);
    expect(byFile(a.relativePath)?.id).toBe(String(a.id));
    expect(byFile(b.relativePath)).toBeUndefined();
    expect(live.catalog.problems.find((p) => p.file === b.relativePath)?.reason).toContain(a.relativePath);
    // Once the conflict is gone, it is served again.
    writeFileSync(pathOf(b), b.text);
    live.apply([pathOf(b)]);
    expect(byFile(b.relativePath)).toBeDefined();
    expectIndexLikeFullBuild();
  });

  it('sees a folder removed or moved in', async () => {
    const folder = join(root, '0001');
    const moved = join(root, 'moved');
    const inFolder = documents.filter((d) => d.relativePath.startsWith('0001/')).length;
    const count = live.catalog.index.all.length;
    (await import('node:fs')).renameSync(folder, moved);
    live.apply([folder, moved]);
    expect(live.catalog.index.all.length).toBe(count);
    expect(live.catalog.index.all.filter((d) => d.file.startsWith('moved/')).length).toBe(inFolder);
    expectIndexLikeFullBuild();
  });
});
