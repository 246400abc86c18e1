/**
 * Turns what @cloudbase/manager-node rejects with into one sentence per language. Its errors
 * are loosely shaped: an API error answer is a CloudBaseError with `code` (e.g.
 * `AuthFailure.SecretIdNotFound`) and a text; a network failure is a CloudBaseError whose
 * `message` is not a string but node-fetch's FetchError object (`code` ECONNREFUSED, `type`
 * `system` or `request-timeout`), which is why it printed as `CloudBaseError: FetchError ...`.
 */

/** A failure the script explains itself: its message is the whole answer (a Chinese line, an English line). */
class DeployError extends Error {
  constructor(zh, en) {
    super(`${zh}\n${en}`);
    this.name = 'DeployError';
  }
}

/** Node's socket and TLS error codes (ECONNREFUSED, EAI_AGAIN, CERT_HAS_EXPIRED...) and node-fetch's timeout. */
const NETWORK_CODE = /^E[A-Z_]+$|^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|UND_ERR_)|^request-timeout$/;
const MAX_TEXT = 300;

function asText(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  if (value && typeof value === 'object' && typeof value.message === 'string') return value.message;
  return value === undefined || value === null ? '' : String(value);
}

function firstString(...values) {
  return values.find((value) => typeof value === 'string' && value !== '') ?? '';
}

/** `{ code, text }` of any rejection: the platform's code when there is one, else the network's. */
function errorFacts(error) {
  const inner = error && typeof error === 'object' ? error.message : undefined;
  const innerObject = inner && typeof inner === 'object' ? inner : {};
  const original = error && typeof error === 'object' && error.original ? error.original : {};
  const cos = error && typeof error === 'object' && error.error && typeof error.error === 'object' ? error.error : {};
  const code = firstString(
    error?.code,
    original.Code,
    innerObject.code,
    innerObject.errno,
    innerObject.type === 'request-timeout' ? 'request-timeout' : '',
    error?.type === 'request-timeout' ? 'request-timeout' : '',
    cos.Code,
  );
  const text = firstString(asText(inner), original.Message, cos.Message, asText(error)).replace(/\s+/g, ' ').trim();
  return { code, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text };
}

/** ENV_ID names no environment this key can see; `code` is the platform's, when it sent one. */
function environmentNotFound(envId, code = '') {
  const tag = code ? `（${code}）` : '';
  const tagEn = code ? ` (${code})` : '';
  return {
    kind: 'environment',
    zh: `找不到云开发环境 ${envId}${tag}：请核对 .env 中的 ENV_ID，并确认该环境属于这个 API 密钥的账号。`,
    en: `CloudBase environment ${envId} was not found${tagEn}: check ENV_ID in .env and that the environment belongs to the account of this API key.`,
  };
}

/**
 * The cause of a failed Cloud API call, in both languages: `{ kind, zh, en }`, kind one of
 * `network`, `credentials`, `permission`, `environment`, `platform`
 * (an API error answer) or `library` (anything else). Each sentence ends with its full stop.
 */
function describeCloudError(error, { envId } = {}) {
  const { code, text } = errorFacts(error);
  const tag = code ? `（${code}）` : '';
  const tagEn = code ? ` (${code})` : '';
  if (NETWORK_CODE.test(code)) {
    return {
      kind: 'network',
      zh: `无法连接腾讯云 API${tag}：请检查网络与代理设置（http_proxy）。`,
      en: `cannot reach the Tencent Cloud API${tagEn}: check the network and the proxy setting (http_proxy).`,
    };
  }
  if (
    /^AuthFailure\.(SecretIdNotFound|SignatureFailure|SignatureExpire|InvalidSecretId|TokenFailure|InvalidAuthorization|MFAFailure)/.test(
      code,
    )
  ) {
    return {
      kind: 'credentials',
      zh: `腾讯云拒绝了 API 密钥${tag}：请核对 .env 中的 TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY（访问管理 → API 密钥；临时密钥还需 TENCENTCLOUD_SESSIONTOKEN，且会过期）。`,
      en: `the Tencent Cloud API refused the API key${tagEn}: check TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY in .env (CAM → API keys; a temporary key also needs TENCENTCLOUD_SESSIONTOKEN and expires).`,
    };
  }
  if (/UnauthorizedOperation/.test(code)) {
    return {
      kind: 'permission',
      zh: `该 API 密钥无权执行此操作${tag}：请在访问管理中为它授予云开发（TCB）与云函数（SCF）的权限（${text}）。`,
      en: `this API key may not do this${tagEn}: grant it CloudBase (TCB) and Serverless (SCF) permissions in CAM (${text}).`,
    };
  }
  if (/^ResourceNotFound(\.Env)?$|^(InvalidParameter|InvalidParameterValue|ResourceNotFound)\.Env/.test(code)) {
    return environmentNotFound(envId, code);
  }
  if (!code) {
    return {
      kind: 'library',
      zh: `@cloudbase/manager-node 出错：${text}。`,
      en: `@cloudbase/manager-node failed: ${text}.`,
    };
  }
  return {
    kind: 'platform',
    zh: `腾讯云 API 返回错误${tag}：${text}。`,
    en: `the Tencent Cloud API answered an error${tagEn}: ${text}.`,
  };
}

module.exports = { DeployError, describeCloudError, environmentNotFound };
