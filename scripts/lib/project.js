/** Paths and the function list, read from cloudbaserc.json: the one list of functions. */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const CLOUDBASERC = path.join(ROOT, 'cloudbaserc.json');

function readCloudbaserc() {
  return JSON.parse(fs.readFileSync(CLOUDBASERC, 'utf8'));
}

/** Names of the deployable functions, in cloudbaserc.json order. */
function functionNames() {
  return readCloudbaserc().functions.map((fn) => fn.name);
}

const functionSource = (name) => path.join(ROOT, 'cloud', 'functions', `${name}.ts`);
const functionRoot = () => path.join(ROOT, readCloudbaserc().functionRoot);

module.exports = { ROOT, CLOUDBASERC, readCloudbaserc, functionNames, functionSource, functionRoot };
