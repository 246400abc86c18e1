#!/usr/bin/env node
/** `npm run bench`: every benchmark of the project, one after another; each prints its numbers. */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const BENCHES = ['functions.js', 'miniprogram-size.mjs', 'emulator.mjs', 'memory-attacks.mjs'];

let failed = false;
for (const file of BENCHES) {
  const script = path.join(__dirname, 'bench', file);
  if (!fs.existsSync(script)) continue;
  const { status } = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
