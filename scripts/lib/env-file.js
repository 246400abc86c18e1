/**
 * Reads the project's settings the way tcb's cloudbaserc.json 2.0 does: process env, then
 * .env.local, then .env.
 */
const fs = require('fs');
const path = require('path');

function parseEnvFile(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    vars[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

function readProjectEnv(root, processEnv = process.env) {
  const fromFiles = {};
  for (const name of ['.env', '.env.local']) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) Object.assign(fromFiles, parseEnvFile(fs.readFileSync(file, 'utf8')));
  }
  return { ...fromFiles, ...processEnv };
}

/** The CloudBase environment id, or null when unset or still the .env.example placeholder. */
function readEnvId(root, processEnv = process.env) {
  const value = (readProjectEnv(root, processEnv).ENV_ID ?? '').trim();
  return value && value !== 'your-env-id' ? value : null;
}

/** The API key deploy uses for everything, or null without an id and a key. */
function readCredentials(root, processEnv = process.env) {
  const vars = readProjectEnv(root, processEnv);
  const secretId = (vars.TENCENTCLOUD_SECRETID ?? '').trim();
  const secretKey = (vars.TENCENTCLOUD_SECRETKEY ?? '').trim();
  const token = (vars.TENCENTCLOUD_SESSIONTOKEN ?? '').trim();
  if (!secretId || !secretKey) return null;
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

module.exports = { parseEnvFile, readProjectEnv, readEnvId, readCredentials };
