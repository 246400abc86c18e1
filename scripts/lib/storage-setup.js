/**
 * Applies storage/security-rules.json as the cloud storage rule (one rule for the whole bucket)
 * with @cloudbase/manager-node (`storage.setStorageAcl('CUSTOM', rule)`, Cloud API
 * ModifyStorageSafeRule). Rules restrict mini program (client) requests only; functions and the
 * console bypass them; a change takes 1-3 minutes to apply.
 */
const fs = require('fs');
const path = require('path');
const { ROOT } = require('./project');
const { rulesFailed } = require('./rules-failure');

const STORAGE_RULE_FILE = path.join(ROOT, 'storage', 'security-rules.json');

function readStorageRule() {
  return JSON.parse(fs.readFileSync(STORAGE_RULE_FILE, 'utf8'));
}

async function setUpStorage(manager, { envId, rule = readStorageRule(), log = console.log } = {}) {
  try {
    await manager.storage.setStorageAcl('CUSTOM', rule);
  } catch (error) {
    throw rulesFailed({ zh: '云存储', en: 'cloud storage' }, error, envId);
  }
  log('storage: security rule applied / 云存储安全规则已应用');
}

module.exports = { readStorageRule, setUpStorage, STORAGE_RULE_FILE };
