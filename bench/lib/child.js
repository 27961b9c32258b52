/**
 * Servers under test run in child processes, so they never share an event loop (or a core) with the
 * load generator. A child script announces itself with `process.send({ type: 'ready', ... })` and
 * stops cleanly on a `{ type: 'stop' }` message (so `--cpu-prof` profiles get written); every wait
 * is bounded, and a child that does not stop in time is killed.
 */
'use strict';
const { fork } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const SERVERS = join(__dirname, '..', 'servers');

/** A memory figure (`VmRSS`, `RssAnon`, `RssFile`) of a process in bytes, from /proc (Linux), or null elsewhere. */
function memOf(pid, field) {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resident set size of a process in bytes. */
const rssOf = (pid) => memOf(pid, 'VmRSS');

/**
 * Forks `bench/servers/<name>.js` with `options` (JSON in BENCH_SERVER_OPTIONS); resolves once it
 * is ready with what it announced plus `pid`, `rss()`, `sampleRss()` and `stop()`.
 */
function startServer(name, options = {}, { execArgv = [], env = {}, readyTimeoutMs = 30_000 } = {}) {
  const child = fork(join(SERVERS, `${name}.js`), [], {
    env: { ...process.env, ...env, BENCH_SERVER_OPTIONS: JSON.stringify(options) },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // The peak RSS of the start itself (a cassette index built, say), sampled until ready.
  let startPeakRss = 0;
  const sampler = setInterval(() => (startPeakRss = Math.max(startPeakRss, rssOf(child.pid) ?? 0)), 100);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(sampler);
      child.kill('SIGKILL');
      reject(new Error(`${name} server did not get ready within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(new Error(`${name} server exited (${code}) before it was ready`));
    });
    child.on('message', (msg) => {
      if (msg?.type !== 'ready') return;
      clearTimeout(timer);
      clearInterval(sampler);
      child.removeAllListeners('exit');
      resolve(handle(child, name, { ...msg, startPeakRss: Math.max(startPeakRss, rssOf(child.pid) ?? 0) }));
    });
  });
}

function handle(child, name, ready) {
  let stopped;
  return {
    ...ready,
    pid: child.pid,
    rss: () => rssOf(child.pid),
    /** RSS split: anonymous (heap and other private memory) and file-backed (LMDB's memory map, code). */
    rssSplit: () => ({ anon: memOf(child.pid, 'RssAnon'), file: memOf(child.pid, 'RssFile') }),
    /** Samples RSS every `everyMs` until the returned function is called; it returns the peak. */
    sampleRss(everyMs = 200) {
      let peak = rssOf(child.pid) ?? 0;
      const t = setInterval(() => (peak = Math.max(peak, rssOf(child.pid) ?? 0)), everyMs);
      return () => {
        clearInterval(t);
        return Math.max(peak, rssOf(child.pid) ?? 0);
      };
    },
    /** CPU time the child has used so far, in microseconds (user + system). */
    cpu(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} server did not report its CPU time`)), timeoutMs);
        const onMessage = (msg) => {
          if (msg?.type !== 'cpu') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(msg.usage.user + msg.usage.system);
        };
        child.on('message', onMessage);
        child.send({ type: 'cpu' });
      });
    },
    /** The child's memory report (see memoryReport); `gc` forces a full GC first (needs --expose-gc). */
    memory(opts = {}, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} server did not report its memory`)), timeoutMs);
        const onMessage = (msg) => {
          if (msg?.type !== 'mem') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(msg.mem);
        };
        child.on('message', onMessage);
        child.send({ type: 'mem', ...opts });
      });
    },
    /** Asks the child to stop, and kills it after `timeoutMs`. */
    stop(timeoutMs = 15_000) {
      stopped ??= new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          process.stderr.write(`bench: ${name} server did not stop in ${timeoutMs} ms; killed\n`);
          child.kill('SIGKILL');
        }, timeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      });
      return stopped;
    },
  };
}

/**
 * The child's own view of its memory (answering a `{ type: 'mem' }` message): V8's heap after an
 * optional full GC (when the child runs with --expose-gc), Node's external and array-buffer memory,
 * and the kernel's split of RSS into anonymous (private: heap, malloc) and file-backed pages (the
 * LMDB map, code), which the kernel can drop at will. `snapshot` writes a heap snapshot there.
 */
function memoryReport({ gc = false, snapshot } = {}) {
  if (gc && typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  if (snapshot) require('node:v8').writeHeapSnapshot(snapshot);
  const usage = process.memoryUsage();
  const heap = require('node:v8').getHeapStatistics();
  return {
    gcRan: gc && typeof global.gc === 'function',
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    heapCommitted: heap.total_physical_size,
    spaces: Object.fromEntries(require('node:v8').getHeapSpaceStatistics().map((sp) => [sp.space_name, sp.physical_space_size])),
    anon: memOf(process.pid, 'RssAnon'),
    file: memOf(process.pid, 'RssFile'),
  };
}

/** Settings shared by every server child: read its options, stop on request. */
function serverMain(run) {
  const options = JSON.parse(process.env.BENCH_SERVER_OPTIONS ?? '{}');
  run(options).then(
    ({ ready, stop }) => {
      process.on('message', (msg) => {
        if (msg?.type === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() });
        if (msg?.type === 'mem') process.send({ type: 'mem', mem: memoryReport(msg) });
        if (msg?.type !== 'stop') return;
        Promise.resolve(stop()).then(
          () => process.exit(0),
          (err) => {
            process.stderr.write(`bench server: stop failed: ${err?.stack ?? err}\n`);
            process.exit(1);
          },
        );
      });
      // An orphan (the bench was interrupted) must not keep a port and a core busy.
      process.on('disconnect', () => process.exit(0));
      process.send({ type: 'ready', ...ready });
    },
    (err) => {
      process.stderr.write(`bench server: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}

module.exports = { startServer, serverMain, rssOf };
