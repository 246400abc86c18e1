/**
 * The local cloud as a child process, for the benchmarks: start it on a free port, stop it with
 * SIGINT (as Ctrl-C does), and read its memory. Memory is read from /proc on Linux and with
 * `ps` on macOS; elsewhere it is null (printed as "n/a").
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Starts the bundle on a free port; resolves once it listens, with its URL. */
export function startServer(bundle, dataDir) {
  const child = spawn(process.execPath, [bundle, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        // Keep draining its log so the child never blocks on a full pipe.
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`local cloud exited with ${code}: ${output}`)));
  });
}

export function stopServer(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
}

function procStatus(pid, field) {
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kb * 1024;
}

/** The process's resident memory now, in bytes, or null where it cannot be read. */
export function rssBytes(pid) {
  try {
    return procStatus(pid, 'VmRSS');
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024 || null;
    } catch {
      return null;
    }
  }
}

/** The most resident memory the process ever had (Linux), or null. */
export function peakRssBytes(pid) {
  try {
    return procStatus(pid, 'VmHWM');
  } catch {
    return null;
  }
}

export const mb = (bytes) => (bytes === null || bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
