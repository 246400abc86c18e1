/**
 * Creates every collection of database/security-rules.json and applies its security rule with
 * @cloudbase/manager-node (tcb 2.x cannot set rules). Idempotent: an existing collection is
 * kept and the rule is set to the committed one. Rules restrict mini program (client) requests
 * only; cloud functions bypass them.
 */
const fs = require('fs');
const path = require('path');
const { ROOT } = require('./project');

const RULES_FILE = path.join(ROOT, 'database', 'security-rules.json');

function readSecurityRules() {
  return JSON.parse(fs.readFileSync(RULES_FILE, 'utf8'));
}

/** The manager-node client, from TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY (+ SESSIONTOKEN). */
function createManager({ envId, secretId, secretKey, token }) {
  const CloudBase = require('@cloudbase/manager-node');
  return new CloudBase({ envId, secretId, secretKey, token });
}

async function setUpDatabase(manager, rules = readSecurityRules(), log = console.log) {
  for (const [collection, rule] of Object.entries(rules)) {
    await manager.database.createCollectionIfNotExists(collection);
    await manager.permission.modifyResourcePermission({
      resourceType: 'collection',
      resource: collection,
      permission: 'CUSTOM',
      securityRule: JSON.stringify(rule),
    });
    log(`collection ${collection}: created if missing, security rule applied`);
  }
}

module.exports = { readSecurityRules, createManager, setUpDatabase, RULES_FILE };
