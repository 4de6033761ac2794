/**
 * GNU time for the benchmark's timed commands: CPU seconds (user + system,
 * every thread) and peak RSS, written to a file of its own so the command's
 * output is untouched. Commands run without it where it is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** GNU time, when installed: the CPU seconds (all threads) and peak RSS of a command, written to a file of its own. */
const GNU_TIME = spawnSync('/usr/bin/time', ['--version'], { stdio: 'ignore' }).status === 0 ? '/usr/bin/time' : undefined;

/** `command` run under GNU time (when installed), and where its figures will be. */
export function underTime(command: readonly string[]): { readonly argv: readonly string[]; readonly figures?: string } {
  if (GNU_TIME === undefined) return { argv: command };
  const figures = join(mkdtempSync(join(tmpdir(), 'bench-time-')), 'time.txt');
  return { argv: [GNU_TIME, '-o', figures, '-f', 'cpu=%U+%S maxrss=%M', ...command], figures };
}

/** What GNU time wrote: CPU seconds (user + system, every thread) and peak RSS in KB; undefined without it. */
export function timeFigures(figures: string | undefined): { readonly cpuMs: number; readonly peakKb: number } | undefined {
  if (figures === undefined) return undefined;
  try {
    const text = readFileSync(figures, 'utf8');
    const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(text);
    const rss = /maxrss=(\d+)/.exec(text);
    if (!cpu || !rss) return undefined;
    return { cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000, peakKb: Number(rss[1]) };
  } catch {
    return undefined;
  } finally {
    rmSync(dirname(figures), { recursive: true, force: true });
  }
}
