import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

export interface HubProcess {
  /** The hub URL, e.g. `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly child: ChildProcess;
  pings(): Promise<{ pings: { urls: string[]; at: number }[]; attempts: number }>;
}

const running = new Set<ChildProcess>();

/** Stops every hub this test file started. */
export function stopHubs(): void {
  for (const child of running) child.kill();
  running.clear();
}

/** Starts test/support/websub-hub.ts as its own process on loopback; `stopHubs` ends it. */
export async function startHub(args: readonly string[] = []): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/websub-hub.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    child,
    pings: async () => (await (await fetch(`${url}pings`)).json()) as { pings: { urls: string[]; at: number }[]; attempts: number },
  };
}
