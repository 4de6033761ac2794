/**
 * The warm-up policy (src/node/warm-policy.ts) and what follows from it in
 * LiveSite: which topics a start warms (served last run, then subscribed,
 * then biggest, within WARM_TOPICS), that only their windows are sanitized
 * and kept, and that a live edit warms again only routes that were warm or
 * served, while a new topic joins the warm set as long as the budget allows.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { pathsOfTopics, topicOfPath } from '../../src/publish/routes.ts';
import type { TopicIndex } from '../../src/topics/topic-index.ts';
import { LiveSite, defaultPaths } from '../../src/node/live.ts';
import { chooseWarmTopics, warmPaths } from '../../src/node/warm-policy.ts';
import { makeDocument } from '../support/factories.ts';
import { broadTopic, writeBroadCorpus } from '../support/broad-taxonomy.ts';

const LIMIT = 3;
const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', FEED_LIMIT: String(LIMIT) });

describe('chooseWarmTopics', () => {
  // Topic t has t + 1 documents: the biggest is t9.
  const documents = Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: t + 1 }, (_, i) => makeDocument({ id: `d${t}-${i}`, slug: `d${t}-${i}`, topics: [{ slug: `t${t}`, name: `S: T${t}`, label: `T${t}` }] })),
  ).flat();
  const index = new LiveCatalog(site, { documents, problems: [] }).index;

  it('takes every topic, in slug order, when they fit the budget', () => {
    expect(chooseWarmTopics(index, 10)).toEqual(index.topicList.map((topic) => topic.slug));
    expect(chooseWarmTopics(index, Number.POSITIVE_INFINITY, { servedPaths: ['/topic/t3/rss.xml'] })).toHaveLength(10);
  });

  it('takes the biggest topics when nothing else is known', () => {
    expect(chooseWarmTopics(index, 3)).toEqual(['t9', 't8', 't7']);
    expect(chooseWarmTopics(index, 0)).toEqual([]);
  });

  it('takes the topics the last run served first, then subscribed ones (most first), then the biggest', () => {
    const chosen = chooseWarmTopics(index, 5, {
      servedPaths: ['/rss.xml', '/topic/t1/atom.xml', '/topic/gone/rss.xml', '/topic/t1/', '/topic/t2/archive/1/rss.xml'],
      subscribers: new Map([
        ['t0', 3],
        ['t4', 40],
        ['t2', 9],
      ]),
    });
    expect(chosen).toEqual(['t1', 't2', 't4', 't0', 't9']);
    // The budget holds even when demand alone exceeds it.
    expect(chooseWarmTopics(index, 1, { servedPaths: ['/topic/t5/rss.xml', '/topic/t6/rss.xml'] })).toEqual(['t5']);
  });

  it('warms the site-wide routes and every source page, and each chosen topic’s page and feeds', () => {
    const catalog = new LiveCatalog(site, { documents, problems: [] });
    expect(warmPaths(catalog, chooseWarmTopics(catalog.index, 10))).toEqual(defaultPaths(catalog.index));
    const paths = warmPaths(catalog, ['t3']);
    expect(paths).toEqual([...pathsOfTopics([catalog.index.topics.get('t3')!.summary])]);
    expect(paths.filter((path) => topicOfPath(path) !== undefined).sort()).toEqual(['/topic/t3/', '/topic/t3/atom.xml', '/topic/t3/feed.json', '/topic/t3/rss.xml']);
  });
});

describe('LiveSite with a warm-up budget', () => {
  const TOPICS = 40;
  const BUDGET = 5;
  let root: string;
  let live: LiveSite;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-warm-policy-'));
    mkdirSync(root, { recursive: true });
    writeBroadCorpus(root, 160, TOPICS);
    live = (await LiveSite.start({ site, contentDir: root, threads: 0, warmTopics: BUDGET })).live;
  });

  afterEach(() => {
    live.close();
    rmSync(root, { recursive: true, force: true });
  });

  const warmSet = (index: TopicIndex): string[] => chooseWarmTopics(index, BUDGET);
  const fileOf = (file: string): string => join(root, file);
  /** A document none of whose topics is warm, and one of those topics. */
  function coldDocument(): { file: string; slug: string } {
    const warm = new Set(warmSet(live.catalog.index));
    const document = live.catalog.index.all.find((d) => d.topics.every((topic) => !warm.has(topic.slug)))!;
    return { file: document.file, slug: document.topics[0]!.slug };
  }
  function retitle(file: string, title: string): void {
    const text = readFileSync(fileOf(file), 'utf8');
    writeFileSync(fileOf(file), text.replace(/^title: .*$/m, `title: '${title}'`));
  }

  it('warms the site-wide routes and the budget’s topics only', async () => {
    const report = await live.warm(false);
    expect(report).toMatchObject({ topics: BUDGET, coldTopics: TOPICS - BUDGET, routes: 6 + live.catalog.sources().length + 4 * BUDGET });
    const cold = coldDocument().slug;
    expect(live.table.holds(`/topic/${cold}/rss.xml`)).toBe(false);
    expect(live.table.holds(`/topic/${warmSet(live.catalog.index)[0]}/rss.xml`)).toBe(true);
  });

  it('keeps sanitized content only for the overall window and the warm topics’ windows', async () => {
    const index = live.catalog.index;
    const expected = new Set(index.all.slice(0, LIMIT).map((d) => d.file));
    for (const slug of warmSet(index)) for (const d of index.topics.get(slug)!.documents.slice(0, LIMIT)) expected.add(d.file);
    const kept = live.store.cacheEntries().filter((entry) => entry.content !== undefined).map((entry) => entry.file);
    expect(kept.sort()).toEqual([...expected].sort());
    expect(kept.length).toBeLessThan(index.all.length);
  });

  it('after an edit, warms again only routes that were warm or served; a cold topic renders the edit on request', async () => {
    await live.warm(false);
    const cold = coldDocument();
    // One route of another cold topic is served (rendered on its request).
    const served = live.catalog.index.topicList.map((t) => t.slug).find((slug) => slug !== cold.slug && !warmSet(live.catalog.index).includes(slug) && !live.catalog.index.all.find((d) => d.file === cold.file)!.topics.some((t) => t.slug === slug))!;
    live.table.lookup(`/topic/${served}/atom.xml`)!.render(false);

    retitle(cold.file, 'Edited in a cold topic');
    const update = live.apply([fileOf(cold.file)])!;
    expect(update.affectedPaths.filter((path) => topicOfPath(path) !== undefined)).toEqual([]);
    await live.warm(false, undefined, update.affectedPaths);
    expect(live.table.holds(`/topic/${cold.slug}/rss.xml`)).toBe(false);
    expect(live.table.lookup(`/topic/${cold.slug}/rss.xml`)!.render().body.toString('utf8')).toContain('Edited in a cold topic');

    const inServed = live.catalog.index.topics.get(served)!.documents[0]!;
    retitle(inServed.file, 'Edited in a served topic');
    const second = live.apply([fileOf(inServed.file)])!;
    const topicRoutes = second.affectedPaths.filter((path) => topicOfPath(path) !== undefined);
    // The served route is warmed again; the topic's routes never asked for are not.
    expect(topicRoutes).toContain(`/topic/${served}/atom.xml`);
    expect(topicRoutes).not.toContain(`/topic/${served}/rss.xml`);
    await live.warm(false, undefined, second.affectedPaths);
    expect(live.table.holds(`/topic/${served}/atom.xml`)).toBe(true);
    expect(live.table.holds(`/topic/${served}/rss.xml`)).toBe(false);
  });

  it('a new topic joins the warm set while the budget allows (a small taxonomy stays wholly warm)', async () => {
    live.close();
    live = (await LiveSite.start({ site, contentDir: root, threads: 0, warmTopics: TOPICS + 1 })).live;
    expect((await live.warm(false)).coldTopics).toBe(0);
    const fresh = broadTopic(TOPICS + 7);
    const text = readFileSync(fileOf('0000/broad-0.md'), 'utf8')
      .replace(/^id: .*$/m, 'id: 999999')
      .replace(/^slug: .*$/m, 'slug: a-new-topic-document')
      .replace(/^categories:\n(?: {2}- .*\n)+/m, `categories:\n  - '${fresh.name}'\n`)
      .replace(/^categoryUrl:\n(?: {2}- .*\n)+/m, `categoryUrl:\n  - topic/${fresh.slug}\n`)
      .replace(/^categoryLabel:\n(?: {2}- .*\n)+/m, `categoryLabel:\n  - '${fresh.label}'\n`);
    writeFileSync(fileOf('0000/new.md'), text);
    const update = live.apply([fileOf('0000/new.md')])!;
    expect(update.affectedPaths).toEqual(expect.arrayContaining([`/topic/${fresh.slug}/`, `/topic/${fresh.slug}/rss.xml`]));
    const report = await live.warm(false, undefined, update.affectedPaths);
    expect(report).toMatchObject({ topics: TOPICS + 1, coldTopics: 0 });
    expect(live.table.holds(`/topic/${fresh.slug}/feed.json`)).toBe(true);
  });
});
