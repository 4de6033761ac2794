/** Shared pieces of the performance behaviour tests: small generated corpora and raw HTTP. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { GeneratedDocument } from '../../scripts/generate-corpus.ts';
import { generateDocumentText } from '../../scripts/generate-corpus.ts';

/** Writes documents 0..count-1 of the deterministic generator (few topics, so topics overlap). */
export function writeCorpus(dir: string, count: number, topics = 6): GeneratedDocument[] {
  const documents: GeneratedDocument[] = [];
  for (let i = 0; i < count; i += 1) {
    const document = generateDocumentText(i, { seed: 7, topics, filesPerFolder: 10 });
    mkdirSync(join(dir, document.relativePath, '..'), { recursive: true });
    writeFileSync(join(dir, document.relativePath), document.text);
    if (document.image) writeFileSync(join(dir, document.image.relativePath), document.image.bytes);
    documents.push(document);
  }
  return documents;
}

export interface RawResponse {
  readonly status: number;
  /** Lower-case names; what Node adds on its own (Date, Connection, Keep-Alive) is left out. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const NODE_ADDED = new Set(['date', 'connection', 'keep-alive']);

export function httpRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase();
            if (!NODE_ADDED.has(name)) headers[name] = res.rawHeaders[i + 1]!;
          }
          done({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

export async function listen(listener: RequestListener): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, close: () => new Promise((closed) => server.close(() => closed())) };
}
