#!/usr/bin/env node
/**
 * `npm run deploy`: build, then deploy every function of cloudbaserc.json with tcb
 * (`tcb fn deploy <name> --force`). The environment id comes from .env (ENV_ID), read by tcb
 * through `{{env.ENV_ID}}`; without it this stops before calling tcb.
 */
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, functionNames } = require('./lib/project');
const { readEnvId } = require('./lib/env-file');

const TCB = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tcb.cmd' : 'tcb');

class DeployError extends Error {}

function runTcb(args) {
  const { status, error } = spawnSync(TCB, args, { cwd: ROOT, stdio: 'inherit' });
  if (error) throw new DeployError(`无法运行 tcb / cannot run tcb: ${error.message}`);
  if (status !== 0) throw new DeployError(`tcb ${args.join(' ')} 失败 / failed (exit ${status})`);
}

async function deploy({
  env = process.env,
  build = () => require('./build').buildFunctions(),
  tcb = runTcb,
  log = console.log,
} = {}) {
  const envId = readEnvId(ROOT, env);
  if (!envId) {
    throw new DeployError(
      '缺少 ENV_ID：请复制 .env.example 为 .env 并填写云开发环境 ID。\n' +
        'ENV_ID is missing: copy .env.example to .env and set your CloudBase environment id.',
    );
  }
  await build();
  for (const name of functionNames()) {
    log(`deploying ${name} to ${envId}`);
    tcb(['fn', 'deploy', name, '--force']);
  }
}

module.exports = { deploy, DeployError };

if (require.main === module) {
  deploy().catch((error) => {
    console.error(error instanceof DeployError ? error.message : error);
    process.exit(1);
  });
}
