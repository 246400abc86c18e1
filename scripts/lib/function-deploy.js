/**
 * Deploys one built function with @cloudbase/manager-node, the library tcb itself deploys with
 * (`functions.createFunction` with `force`: create, or update the code then the settings of an
 * existing function, waiting while it is Creating/Updating), then reads it back. The read-back
 * is the proof: manager-node's wait treats any state but Creating/Updating/CreateFailed as done
 * (UpdateFailed included), and SCF keeps the runtime of an existing function on update.
 *
 * manager-node zips the whole folder (dot files too, minus the entry's `ignore`), so config.json
 * and package.json go up with the code. Nothing in manager-node 5.6.5 or tcb 2.12.10 reads
 * config.json: no call sets the cloud-call permissions of its `permissions.openapi` (DevTools
 * sets them on each upload); whether the platform reads the file from the zip is unconfirmed.
 */
const path = require('path');
const { DeployError, describeCloudError } = require('./cloud-errors');
const { readOpenapi } = require('./function-folders');

/** The settings of cloudbaserc.json the platform must show after the deployment (and `envVariables`). */
const CHECKED_SETTINGS = [
  ['runtime', 'Runtime'],
  ['handler', 'Handler'],
  ['timeout', 'Timeout'],
  ['memorySize', 'MemorySize'],
];

/** The warning for a function whose config.json declares cloud calls this deploy cannot grant. */
function openapiWarning(name, openapi) {
  const list = openapi.join(', ');
  return (
    `${name} 的 config.json 声明了云调用（${list}）。npm run deploy 会上传 config.json，但 @cloudbase/manager-node 不据此设置云调用权限，平台是否读取它未经确认：若云调用返回 -604101，请在微信开发者工具中右键 cloudfunctions/${name}，“上传并部署：所有文件”一次（权限约 10 分钟后生效）。\n` +
    `config.json of ${name} declares cloud calls (${list}). npm run deploy uploads config.json, but @cloudbase/manager-node sets no cloud-call permission from it and whether the platform reads it is unconfirmed: if a cloud call answers -604101, upload the function once from WeChat DevTools (right-click cloudfunctions/${name} → "Upload and deploy: all files"; permissions apply within about 10 minutes).`
  );
}

/** What is wrong with a deployed function, in both languages; null when it is as configured. */
function deployedProblem(detail, func) {
  if (detail?.Status !== 'Active') {
    const reasons = (detail?.StatusReasons ?? []).map((r) => `[${r.ErrorCode}] ${r.ErrorMessage}`).join('; ');
    const why = [detail?.StatusDesc, reasons].filter(Boolean).join('; ');
    const status = detail?.Status ?? 'unknown';
    return {
      zh: `云端状态为 ${status}，不是 Active${why ? `：${why}` : ''}`,
      en: `its state in the cloud is ${status}, not Active${why ? `: ${why}` : ''}`,
    };
  }
  const differences = CHECKED_SETTINGS.filter(
    ([key, field]) => func[key] !== undefined && detail[field] !== func[key],
  ).map(([key, field]) => ({ key, text: `${key}: ${detail[field]} ≠ ${func[key]}` }));
  // Environment variables (e.g. saveProfile's CONTENT_CHECK_ON_FAILURE) decide behaviour: check them too.
  const deployedVariables = new Map((detail.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]));
  for (const [name, value] of Object.entries(func.envVariables ?? {})) {
    if (deployedVariables.get(name) !== String(value)) {
      differences.push({
        key: 'envVariables',
        text: `envVariables.${name}: ${deployedVariables.get(name) ?? '(none)'} ≠ ${value}`,
      });
    }
  }
  if (differences.length === 0) return null;
  const list = differences.map(({ text }) => text).join(', ');
  // SCF sets Runtime and Handler at creation only: an update of an existing function keeps them.
  const fixedAtCreation = differences.some(({ key }) => key === 'runtime' || key === 'handler');
  return fixedAtCreation
    ? {
        zh: `云端设置与 cloudbaserc.json 不同（${list}）；已有函数的 runtime 与 handler 无法通过更新修改，请在云开发控制台删除该函数后重新部署`,
        en: `its settings in the cloud differ from cloudbaserc.json (${list}); the runtime and handler of an existing function cannot be updated: delete it in the CloudBase console, then deploy again`,
      }
    : {
        zh: `云端设置与 cloudbaserc.json 不同（${list}）`,
        en: `its settings in the cloud differ from cloudbaserc.json (${list})`,
      };
}

function deployFailed(name, deployed, cause) {
  const done = deployed.length > 0 ? deployed.join(', ') : '无';
  const doneEn = deployed.length > 0 ? deployed.join(', ') : 'none';
  return new DeployError(
    `部署云函数 ${name} 失败：${cause.zh}。已部署：${done}。修正后请重新运行 npm run deploy（可重复执行）。`,
    `Deploying function ${name} failed: ${cause.en}. Deployed: ${doneEn}. Fix it and run npm run deploy again (safe to repeat).`,
  );
}

/**
 * Deploys `func` (a cloudbaserc.json entry) from `functionRootPath/<name>` and checks it is
 * Active with its configured settings; `deployed` names the functions done before it (for the
 * message). Answers the function as the platform shows it; `warn` hears of declared cloud calls.
 */
async function deployFunction(manager, func, { functionRootPath, envId, deployed = [], warn = console.warn }) {
  const { openapi, problem: configProblem } = readOpenapi(path.join(functionRootPath, func.name));
  if (configProblem) {
    const { zh, en } = configProblem;
    throw deployFailed(func.name, deployed, { zh: zh.replace(/。$/, ''), en: en.replace(/\.$/, '') });
  }
  let detail;
  try {
    await manager.functions.createFunction({ func: { ...func }, functionRootPath, force: true });
    detail = await manager.functions.getFunctionDetail(func.name);
  } catch (error) {
    const cause = describeCloudError(error, { envId });
    throw deployFailed(func.name, deployed, { zh: cause.zh.replace(/。$/, ''), en: cause.en.replace(/\.$/, '') });
  }
  const problem = deployedProblem(detail, func);
  if (problem) throw deployFailed(func.name, deployed, problem);
  if (openapi.length > 0) warn(openapiWarning(func.name, openapi));
  return detail;
}

module.exports = { deployFunction, deployedProblem };
