#!/usr/bin/env node
/**
 * `npm run emulator:export -- <dir> [--url URL]`: asks a running emulator to write an export of
 * its data to <dir> (POST /emulator/export; see docs/local-cloud.md). URL defaults to
 * LOCAL_CLOUD_URL, then http://127.0.0.1:$PORT (3000).
 */
import * as path from 'node:path';

const { fetch } = globalThis;

const USAGE = 'Usage: npm run emulator:export -- <dir> [--url URL]';

function parseArgs(argv) {
  let dir = null;
  let url = process.env.LOCAL_CLOUD_URL || `http://127.0.0.1:${process.env.PORT || 3000}`;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--url') {
      if (argv[i + 1] === undefined) throw new Error(`--url needs a value\n${USAGE}`);
      url = argv[i + 1];
      i += 1;
    } else if (dir === null) dir = argv[i];
    else throw new Error(`unexpected "${argv[i]}"\n${USAGE}`);
  }
  if (!dir) throw new Error(`no folder given\n${USAGE}`);
  return { dir: path.resolve(dir), url: url.replace(/\/+$/, '') };
}

async function main() {
  const { dir, url } = parseArgs(process.argv.slice(2));
  let response;
  try {
    response = await fetch(`${url}/emulator/export`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dir }),
    });
  } catch (error) {
    throw new Error(
      `no emulator answers at ${url} (${error.cause?.code ?? error.message}): start it with npm start, or pass --url`,
      { cause: error },
    );
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`the emulator refused (${response.status}): ${body.error ?? 'no reason given'}`);
  const counts = body.collections.map((c) => `${c.name} ${c.count}`).join(', ');
  process.stdout.write(`Exported to ${body.dir}: ${counts || 'no collection'}; ${body.storage.files} stored files.\n`);
}

main().catch((error) => {
  process.stderr.write(`emulator:export: ${error.message}\n`);
  process.exit(1);
});
