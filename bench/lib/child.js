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
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} server did not get ready within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} server exited (${code}) before it was ready`));
    });
    child.on('message', (msg) => {
      if (msg?.type !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(handle(child, name, msg));
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

/** Settings shared by every server child: read its options, stop on request. */
function serverMain(run) {
  const options = JSON.parse(process.env.BENCH_SERVER_OPTIONS ?? '{}');
  run(options).then(
    ({ ready, stop }) => {
      process.on('message', (msg) => {
        if (msg?.type === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() });
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
