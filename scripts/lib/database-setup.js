/**
 * Creates every collection of database/security-rules.json and applies its security rule with
 * @cloudbase/manager-node (tcb 2.x cannot set rules). Idempotent: an existing collection is
 * kept and the rule is set to the committed one. Rules restrict mini program (client) requests
 * only; cloud functions bypass them. Only this script creates collections: one created by a
 * function keeps the platform's default rule, which lets a client write its own documents.
 */
const fs = require('fs');
const path = require('path');
const { ROOT } = require('./project');
const { rulesFailed } = require('./rules-failure');

const RULES_FILE = path.join(ROOT, 'database', 'security-rules.json');

function readSecurityRules() {
  return JSON.parse(fs.readFileSync(RULES_FILE, 'utf8'));
}

/** The manager-node client, from TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY (+ SESSIONTOKEN). */
function createManager({ envId, secretId, secretKey, token }) {
  const CloudBase = require('@cloudbase/manager-node');
  return new CloudBase({ envId, secretId, secretKey, token });
}

async function setUpDatabase(manager, { envId, rules = readSecurityRules(), log = console.log } = {}) {
  for (const [collection, rule] of Object.entries(rules)) {
    try {
      await manager.database.createCollectionIfNotExists(collection);
      await manager.permission.modifyResourcePermission({
        resourceType: 'collection',
        resource: collection,
        permission: 'CUSTOM',
        securityRule: JSON.stringify(rule),
      });
    } catch (error) {
      throw rulesFailed({ zh: `数据库集合 ${collection}`, en: `database collection ${collection}` }, error, envId);
    }
    log(`collection ${collection}: created if missing, security rule applied / 集合已就绪，安全规则已应用`);
  }
}

module.exports = { readSecurityRules, createManager, setUpDatabase, RULES_FILE };
