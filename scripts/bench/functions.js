/**
 * Cloud-function figures: cold start against a process that only requires wx-server-sdk
 * (the cost of the official quickstart function), measured alternately in one run; the
 * deployed size; database operations per login. Prints numbers; asserts nothing.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { buildFunctions, buildFunctionCode, SDK_FILE } = require('../build');
const { buildDoubleBundle, buildScenarioRequestsBundle } = require('../lib/double-bundle');
const { ROOT } = require('../lib/project');

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const RUNNER = path.join(ROOT, 'scripts', 'lib', 'run-built-function.js');
const APPID = 'wxbench0000000000';
const OPENID = 'oBench00000000000000000001';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const dirBytes = (dir) => fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

function runFunction(dir, sdkModule, double, request, tmp) {
  const file = path.join(tmp, 'request.json');
  fs.writeFileSync(file, JSON.stringify(request));
  const out = execFileSync(process.execPath, [RUNNER, dir, sdkModule, double, file], { cwd: tmp, encoding: 'utf8' });
  return JSON.parse(out);
}

function plainSdkRequireMs() {
  const script = "require('wx-server-sdk'); process.stdout.write(String(require('perf_hooks').performance.now()))";
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

/**
 * One representative first call per function: its scenario (testing/scenarios.ts), the same
 * table the cross-function suites run. Every function of the contract has one.
 */
async function scenarioRequests(tmp) {
  const scenarios = require(await buildScenarioRequestsBundle(path.join(tmp, 'scenarios.js')));
  const requests = {};
  for (const name of scenarios.FUNCTION_NAMES) requests[name] = await scenarios.scenarioRequest(name);
  return requests;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-functions-'));
  try {
    const dirs = await buildFunctions();
    const double = await buildDoubleBundle(path.join(tmp, 'double.js'));
    const requests = await scenarioRequests(tmp);
    const results = [];
    for (const dir of dirs) {
      const name = path.basename(dir);
      if (!requests[name])
        throw new Error(`${name} is deployed (cloudbaserc.json) but has no contract in miniprogram/shared/api.ts`);
      // The alternative to bundling: the same code requiring wx-server-sdk installed in node_modules.
      const installedDir = path.join(tmp, `${name}-installed`);
      fs.mkdirSync(installedDir);
      await buildFunctionCode(name, path.join(installedDir, 'index.js'), require.resolve('wx-server-sdk'));
      const bundled = [],
        installed = [],
        plain = [];
      let answer;
      for (let i = 0; i < RUNS; i++) {
        plain.push(plainSdkRequireMs());
        const run = runFunction(dir, path.join(dir, SDK_FILE), double, requests[name], tmp);
        answer = run.answers[0];
        bundled.push(run.firstAnswerMs);
        installed.push(
          runFunction(installedDir, require.resolve('wx-server-sdk'), double, requests[name], tmp).firstAnswerMs,
        );
      }
      if (!answer.ok) throw new Error(`${name} answered ${JSON.stringify(answer)}`);
      const startFiles = ['index.js', SDK_FILE].reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
      results.push({
        name,
        bundled: median(bundled),
        installed: median(installed),
        plain: median(plain),
        size: dirBytes(dir),
        startFiles,
      });
    }
    console.log(
      `cloud functions: cold start = process start to first answer, database stubbed (median of ${RUNS}, alternated)`,
    );
    for (const r of results) {
      console.log(
        `  ${r.name}: bundled ${r.bundled.toFixed(0)} ms = ${(r.bundled / r.plain).toFixed(2)} x plain require('wx-server-sdk') ${r.plain.toFixed(0)} ms (target <= 0.60); ` +
          `SDK installed instead ${r.installed.toFixed(0)} ms = ${(r.installed / r.plain).toFixed(2)} x`,
      );
      console.log(
        `  ${r.name}: deployed size ${kb(r.size)} (loaded at start ${kb(r.startFiles)}, rest loaded on first use)`,
      );
    }
    const login = path.join(ROOT, 'cloudfunctions', 'login');
    const ops = (c) => `${c.get} read(s), ${c.add + c.set + c.update + c.remove} write(s)`;
    const fresh = runFunction(
      login,
      path.join(login, SDK_FILE),
      double,
      { context: { OPENID, APPID }, calls: [{}, {}] },
      tmp,
    );
    console.log(
      `  login database operations: new user ${ops(fresh.counts[0])}; returning user ${ops(fresh.counts[1])} (target: 1 write)`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { main };
if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
