/**
 * A content folder with images beside its documents, for the media tests: a
 * real JPEG (64×48) and PNG (40×30) from test/fixtures/media/, and the files
 * that must never be served (a missing image, text renamed .jpg, a symlink to
 * a JPEG outside the folder, an SVG, a hidden file). Built in a temp folder
 * because symlinks and dotfiles do not belong in the repository.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './server-process.ts';

export const FIXTURE_JPEG = readFileSync(join(REPO_ROOT, 'test/fixtures/media/photo.jpeg'));
export const FIXTURE_PNG = readFileSync(join(REPO_ROOT, 'test/fixtures/media/chart.png'));

function documentText(id: string, title: string, topic: string, href: string, lastMod: string): string {
  return `---
id: ${id}
title: ${title}
slug: ${id}
date: '2024-03-01'
lastMod: '${lastMod}'
categories:
  - 'Test Source: ${topic}'
categoryUrl:
  - topic/${topic.toLowerCase()}
categoryLabel:
  - ${topic}
description: About ${title}.
featuredImage:
  alt: ${title} picture
  format: JPEG
  href: ${href}
  size: [999, 111]
  valid: true
---
<p>Body of ${title}.</p>
`;
}

export interface MediaFixture {
  /** The content folder. */
  readonly content: string;
  /** A folder beside it (outside CONTENT_DIR) holding the symlink's target. */
  readonly root: string;
  cleanup(): void;
}

export function makeMediaFixture(): MediaFixture {
  const root = mkdtempSync(join(tmpdir(), 'topic-feeds-media-'));
  const content = join(root, 'content');
  const outside = join(root, 'outside');
  mkdirSync(join(content, '2024'), { recursive: true });
  mkdirSync(outside);
  copyFileSync(join(REPO_ROOT, 'test/fixtures/media/photo.jpeg'), join(content, '2024', 'photo.jpeg'));
  copyFileSync(join(REPO_ROOT, 'test/fixtures/media/chart.png'), join(content, '2024', 'chart.png'));
  copyFileSync(join(REPO_ROOT, 'test/fixtures/media/photo.jpeg'), join(outside, 'secret.jpeg'));
  symlinkSync(join(outside, 'secret.jpeg'), join(content, '2024', 'escape.jpeg'));
  writeFileSync(join(content, 'fake.jpg'), 'this is text, not a JPEG\n');
  writeFileSync(join(content, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
  copyFileSync(join(REPO_ROOT, 'test/fixtures/media/photo.jpeg'), join(content, '.hidden.jpeg'));
  writeFileSync(join(content, '2024', 'with-jpeg.md'), documentText('with-jpeg', 'With a JPEG', 'Imaging', 'photo.jpeg', '2024-03-05T10:00:00Z'));
  writeFileSync(join(content, '2024', 'with-png.md'), documentText('with-png', 'With a PNG', 'Imaging', 'chart.png', '2024-03-04T10:00:00Z'));
  writeFileSync(join(content, '2024', 'missing.md'), documentText('missing', 'Image missing', 'Imaging', 'gone.jpeg', '2024-03-03T10:00:00Z'));
  writeFileSync(join(content, '2024', 'escape.md'), documentText('escape', 'Image escapes', 'Imaging', 'escape.jpeg', '2024-03-02T10:00:00Z'));
  writeFileSync(join(content, 'fake.md'), documentText('fake', 'Fake image', 'Imaging', 'fake.jpg', '2024-03-01T12:00:00Z'));
  writeFileSync(join(content, 'vector.md'), documentText('vector', 'Vector image', 'Imaging', 'logo.svg', '2024-03-01T11:00:00Z'));
  return { content, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
