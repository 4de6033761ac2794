/**
 * `relativeFile` names every content file in the caches, the ledger and the
 * problems: its shortcut for the walk's paths must give what `path.relative`
 * gives, for any root and path.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeFile } from '../../src/ingest/fs-source.ts';

const roots = ['/srv/content', '/srv/content/', '/', 'content', './content', 'content/', '../content', 'a/../content', '/srv//content', '/srv/./content', '.', ''];
const tails = ['a.md', '2024/a.md', '2024/img/a.jpeg', '.hidden.md', '..a.md', 'a..md', 'x/../a.md', './a.md', 'x//a.md', 'x/./a.md', '..', '.', '', 'x/'];

describe('relativeFile', () => {
  it.each(roots)('gives what path.relative gives under %j, for joined and raw paths', (root) => {
    const paths = [
      ...tails.map((tail) => join(root, tail)),
      ...tails.map((tail) => `${root}${root.endsWith('/') ? '' : '/'}${tail}`),
      // Outside the root, a sibling sharing its prefix, the root itself.
      '/srv/contents/a.md',
      '/srv/a.md',
      '/elsewhere/a.md',
      root,
      `${root}x`,
    ];
    for (const path of paths) expect(relativeFile(root, path), `${root} + ${path}`).toBe(relative(root, path));
  });
});
