/**
 * Worker-thread side of parse-pool.ts: runs batches of parse-tasks.ts and
 * posts the results back with the time each step took.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/config.ts';
import type { PoolRequest, PoolResponse } from './parse-pool.ts';
import { emptyTimings, renderBodyTask, scanFile } from './parse-tasks.ts';

const site = (workerData as { site: SiteConfig }).site;

parentPort?.on('message', (request: PoolRequest) => {
  const timings = emptyTimings();
  let response: PoolResponse;
  if (request.kind === 'scan') {
    response = { id: request.id, kind: 'scan', results: request.tasks.map((task) => scanFile(task, site, timings)), timings };
  } else {
    response = { id: request.id, kind: 'bodies', results: request.tasks.map((task) => renderBodyTask(task, site, timings) ?? null), timings };
  }
  parentPort?.postMessage(response);
});
