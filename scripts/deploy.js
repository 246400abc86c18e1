#!/usr/bin/env node
/**
 * `npm run deploy`: build, deploy every function of cloudbaserc.json with tcb
 * (`tcb fn deploy <name> --force`), then create the collections and apply the security rules
 * of database/security-rules.json with @cloudbase/manager-node. The environment id comes from
 * .env (ENV_ID, read by tcb through `{{env.ENV_ID}}`), the API key from TENCENTCLOUD_SECRETID /
 * TENCENTCLOUD_SECRETKEY; without them this stops before changing anything.
 */
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, functionNames } = require('./lib/project');
const { readEnvId, readProjectEnv } = require('./lib/env-file');
const { createManager, setUpDatabase } = require('./lib/database-setup');

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
  manager = createManager,
  log = console.log,
} = {}) {
  const envId = readEnvId(ROOT, env);
  if (!envId) {
    throw new DeployError(
      '缺少 ENV_ID：请复制 .env.example 为 .env 并填写云开发环境 ID。\n' +
        'ENV_ID is missing: copy .env.example to .env and set your CloudBase environment id.',
    );
  }
  const vars = readProjectEnv(ROOT, env);
  const secretId = vars.TENCENTCLOUD_SECRETID;
  const secretKey = vars.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    throw new DeployError(
      '缺少 API 密钥：请在 .env 中设置 TENCENTCLOUD_SECRETID 与 TENCENTCLOUD_SECRETKEY（访问管理 → API 密钥），用于创建集合与设置安全规则。\n' +
        'Credentials are missing: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY in .env (CAM → API keys); they create the collections and apply the security rules.',
    );
  }
  await build();
  for (const name of functionNames()) {
    log(`deploying ${name} to ${envId}`);
    tcb(['fn', 'deploy', name, '--force']);
  }
  const client = manager({ envId, secretId, secretKey, token: vars.TENCENTCLOUD_SESSIONTOKEN });
  await setUpDatabase(client, undefined, log);
}

module.exports = { deploy, DeployError };

if (require.main === module) {
  deploy().catch((error) => {
    console.error(error instanceof DeployError ? error.message : error);
    process.exit(1);
  });
}
