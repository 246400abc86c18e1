/**
 * The one check of the API key, before anything changes: a read-only DescribeEnvInfo of the
 * environment. It proves in one call that the key is valid, that it may use CloudBase and that
 * ENV_ID names an environment of its account.
 */
const { DeployError, describeCloudError, environmentNotFound } = require('./cloud-errors');

const NOTHING_CHANGED = { zh: '未做任何改动。', en: 'Nothing was changed.' };

function refused(cause) {
  return new DeployError(
    `检查 API 密钥失败：${cause.zh}${NOTHING_CHANGED.zh}`,
    `Checking the API key failed: ${cause.en} ${NOTHING_CHANGED.en}`,
  );
}

async function checkCredentials(manager, envId) {
  let answer;
  try {
    answer = await manager.env.describeEnvInfo({ EnvId: envId });
  } catch (error) {
    throw refused(describeCloudError(error, { envId }));
  }
  if (answer?.EnvInfo?.EnvBaseInfo?.EnvId !== envId) {
    throw refused(environmentNotFound(envId));
  }
}

module.exports = { checkCredentials };
