/** The answer when applying a security rule fails: what failed, the likely cause, what to run again. */
const { DeployError, describeCloudError } = require('./cloud-errors');

const RETRY = 'npm run deploy -- --rules-only';

/** `target` names what was being applied, e.g. `{ zh: '集合 users', en: 'collection users' }`. */
function rulesFailed(target, error, envId) {
  const cause = describeCloudError(error, { envId });
  return new DeployError(
    `应用安全规则失败（${target.zh}）：${cause.zh}可能原因：网络或代理、.env 中的 API 密钥或 ENV_ID。修正后运行 ${RETRY} 重新应用规则（可重复执行）。`,
    `Applying the security rules failed (${target.en}): ${cause.en} Likely causes: the network or proxy, the API key or ENV_ID in .env. Fix it, then run ${RETRY} (safe to repeat).`,
  );
}

module.exports = { rulesFailed };
