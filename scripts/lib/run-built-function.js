/**
 * Runs one built function in this fresh process, as the platform would, with the database,
 * storage and open data of the in-memory double in place of the network. Used by the bench
 * (cold start, database operations) and by the build test.
 *
 *   node run-built-function.js <functionDir> <sdkModule> <doubleBundle> <request.json>
 * sdkModule: the file index.js loads as wx-server-sdk (the bundle beside it, or node_modules').
 * request.json: { context: { OPENID, APPID, UNIONID?, ENV? }, seedUsers?: [doc], seedCollections?: { name: [doc] },
 *                seedFiles?: [fileID], phoneCodes?: [{ code, openid, purePhoneNumber, countryCode, expiresAt, used }],
 *                calls: [event, ...] }   (seedUsers go to the users collection; a date is { $date: ms })
 * Prints one JSON line: { answers, firstAnswerMs, counts: [per call] }.
 */
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

async function run() {
  const [functionDir, sdkModule, doubleBundle, requestFile] = process.argv.slice(2);
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  const { FakeWxServerSdk, USERS_COLLECTION } = require(doubleBundle);
  const double = new FakeWxServerSdk().withCollection(USERS_COLLECTION);
  const seedCollections = { [USERS_COLLECTION]: request.seedUsers ?? [], ...request.seedCollections };
  for (const [name, docs] of Object.entries(seedCollections)) {
    double.withCollection(name);
    for (const doc of docs) double.collections.get(name).set(doc._id, withDates(doc));
  }
  // Files already uploaded (saveProfile checks that an avatar fileID exists in storage).
  for (const fileID of request.seedFiles ?? []) double.files.set(fileID, Buffer.from('seed'));
  // Phone codes minted while setting the scenario up (bindPhone's event carries one).
  for (const code of request.phoneCodes ?? []) double.phoneCodes.adopt(code);
  // The double answers cloud calls (phone codes, content checks) as the caller the SDK sees.
  double.callAs(request.context);

  // Identity the way the platform gives it: environment variables read by the real SDK.
  const { ENV = 'local-env', ...identity } = request.context;
  // What a cloud function's process has on the platform: without these the SDK takes itself for
  // a machine outside the cloud and probes the metadata server over HTTP on start-up.
  Object.assign(process.env, { TENCENTCLOUD_RUNENV: 'SCF', SCF_NAMESPACE: ENV, TENCENTCLOUD_REGION: 'ap-shanghai' });
  process.env.WX_CONTEXT_KEYS = Object.keys(identity)
    .map((k) => `WX_${k}`)
    .join(',');
  for (const [k, v] of Object.entries(identity)) process.env[`WX_${k}`] = v;
  process.env.TCB_ENV = ENV;

  const sdk = require(sdkModule);
  sdk.database = (config) => double.database(config);
  sdk.deleteFile = (param) => double.deleteFile(param);
  sdk.getTempFileURL = (param) => double.getTempFileURL(param);
  sdk.getOpenData = (param) => double.getOpenData(param);
  sdk.logger = () => double.logger();
  sdk.openapi = double.openapi;

  const { main } = require(path.join(functionDir, 'index.js'));
  const answers = [];
  const counts = [];
  let firstAnswerMs;
  for (const event of request.calls) {
    answers.push(await main(event, {}));
    firstAnswerMs ??= performance.now();
    counts.push({ ...double.counts });
    double.resetCounts();
  }
  process.stdout.write(`${JSON.stringify({ answers, firstAnswerMs, counts })}\n`);
}

/** A document of the request with its `{ $date: <ms> }` values turned back into dates. */
function withDates(value) {
  if (Array.isArray(value)) return value.map(withDates);
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 1 && typeof value.$date === 'number') return new Date(value.$date);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDates(v)]));
  }
  return value;
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
