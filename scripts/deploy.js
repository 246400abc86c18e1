#!/usr/bin/env node
/**
 * `npm run deploy`: with the API key of .env (TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY
 * [/ TENCENTCLOUD_SESSIONTOKEN]) for everything, through @cloudbase/manager-node:
 *   1. check the key and ENV_ID once (read-only), before anything changes;
 *   2. build;
 *   3. create the collections and apply database/security-rules.json, apply storage/security-rules.json;
 *   4. deploy every function of cloudbaserc.json and read each back: it must be Active with its settings.
 * The first failure stops the run with a message in Chinese and English and exit code 1.
 * `npm run deploy -- --rules-only` does steps 1 and 3 alone (functions uploaded from DevTools).
 *
 * Not tcb: tcb 2.12.10 exits 0 when `fn deploy` fails, ignores TENCENTCLOUD_* (it only reads its
 * own login) and, when not logged in, starts a browser login and waits.
 */
const { ROOT, readCloudbaserc, functionRoot } = require('./lib/project');
const { readEnvId, readCredentials } = require('./lib/env-file');
const { DeployError } = require('./lib/cloud-errors');
const { checkCredentials } = require('./lib/credentials-check');
const { createManager, setUpDatabase } = require('./lib/database-setup');
const { setUpStorage } = require('./lib/storage-setup');
const { deployFunction } = require('./lib/function-deploy');

const OPTIONS = ['--rules-only'];

function parseOptions(argv) {
  const unknown = argv.filter((arg) => !OPTIONS.includes(arg));
  if (unknown.length > 0) {
    throw new DeployError(
      `未知选项：${unknown.join(' ')}。用法：npm run deploy [-- --rules-only]`,
      `Unknown option: ${unknown.join(' ')}. Usage: npm run deploy [-- --rules-only]`,
    );
  }
  return { rulesOnly: argv.includes('--rules-only') };
}

function readSettings(env) {
  const envId = readEnvId(ROOT, env);
  if (!envId) {
    throw new DeployError(
      '缺少 ENV_ID：请复制 .env.example 为 .env 并填写云开发环境 ID。',
      'ENV_ID is missing: copy .env.example to .env and set your CloudBase environment id.',
    );
  }
  const credentials = readCredentials(ROOT, env);
  if (!credentials) {
    throw new DeployError(
      '缺少 API 密钥：请在 .env 中设置 TENCENTCLOUD_SECRETID 与 TENCENTCLOUD_SECRETKEY（访问管理 → API 密钥），部署的每一步都用它。',
      'The API key is missing: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY in .env (CAM → API keys); every deploy step uses it.',
    );
  }
  return { envId, credentials };
}

async function deploy({
  argv = [],
  env = process.env,
  build = () => require('./build').buildFunctions(),
  manager = createManager,
  log = console.log,
} = {}) {
  const { rulesOnly } = parseOptions(argv);
  const { envId, credentials } = readSettings(env);
  const client = manager({ envId, ...credentials });
  await checkCredentials(client, envId);
  log(`API key and environment ${envId}: OK / API 密钥与环境已确认`);
  if (!rulesOnly) await build();
  await setUpDatabase(client, { envId, log });
  await setUpStorage(client, { envId, log });
  if (rulesOnly) return { rulesOnly };
  const deployed = [];
  for (const func of readCloudbaserc().functions) {
    log(`deploying ${func.name} to ${envId} / 正在部署`);
    const detail = await deployFunction(client, func, { functionRootPath: functionRoot(), envId, deployed });
    deployed.push(func.name);
    log(`${func.name}: deployed, ${detail.Status} (${detail.Runtime}) / 已部署`);
  }
  return { rulesOnly };
}

module.exports = { deploy, DeployError };

if (require.main === module) {
  deploy({ argv: process.argv.slice(2) }).then(
    ({ rulesOnly }) =>
      console.log(rulesOnly ? '安全规则已应用 / Security rules applied.' : '部署完成 / Deploy complete.'),
    (error) => {
      if (error instanceof DeployError) {
        console.error(error.message);
      } else {
        // Not one of ours (e.g. a build error): its text, without a stack.
        const text = typeof error?.message === 'string' ? error.message : String(error);
        console.error(`部署失败：${text}\nDeploy failed: ${text}`);
      }
      process.exitCode = 1;
    },
  );
}
