/**
 * The console in a real browser (headless Chromium from the system's packages): what a developer
 * clicks through. Skipped when no Chromium is installed, except in CI (`CI` set), where a missing
 * browser fails the run. With CONSOLE_SCREENSHOTS=1 (`npm run console:screenshots`) it also saves
 * a picture of each screen into docs/.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../config';
import { startTestCloud, type TestCloud } from '../e2e/harness';
import { avatarPng, CHROMIUM_ARGS, findChromium } from './testing/browser';

const executablePath = findChromium();
const screenshots = process.env.CONSOLE_SCREENSHOTS === '1';

if (!executablePath) {
  if (process.env.CI) {
    it('needs Chromium in CI', () => {
      throw new Error(
        'no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): the console tests cannot run',
      );
    });
  } else {
    console.warn(
      'console browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)',
    );
  }
}
const describeInBrowser = executablePath ? describe : describe.skip;

const OPENID = 'oBrowserUser00000000000000001';
const OTHER = 'oBrowserUser00000000000000002';

describeInBrowser('the console in Chromium', () => {
  let cloud: TestCloud;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'lib', 'console-build.mjs'), '--if-outdated'], {
      stdio: 'inherit',
    });
    cloud = await startTestCloud();
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.close();
  });

  const open = async (screen: string) => {
    await page.goto(`${cloud.url}/console/#/${screen}`);
    await page.locator(`[data-screen="${screen}"].is-active`).waitFor();
  };
  const shoot = async (name: string) => {
    if (screenshots) await page.screenshot({ path: path.join(ROOT, 'docs', `console-${name}.png`) });
  };

  it('a login made as a simulated user shows in 请求 with its SDK operations and logs', async () => {
    await open('act');
    await page.locator('[data-test="new-caller"]').click();
    await page.locator('[data-test="call-data"]').fill('{}');
    await page.locator('[data-test="call"]').click();
    await page.locator('[data-test="call-result"]', { hasText: 'openid' }).waitFor();
    const openid = (await page.locator('[data-test="current-openid"]').innerText()).trim();
    expect(openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    await shoot('act-as-user');

    await page.locator('[data-screen="requests"]').click();
    const detail = page.locator('[data-test="call-detail"]');
    await detail.locator('text=login').first().waitFor();
    await expect(detail.innerText()).resolves.toContain(openid);
    const operations = detail.locator('[data-test="operations"] tbody tr');
    await operations.first().waitFor();
    const actions = await operations.allInnerTexts();
    expect(actions.some((row) => row.includes('database.') && row.includes('users') && row.includes('OK'))).toBe(true);
    await shoot('requests');
  });

  it('a document edited in 数据库 is what the next getProfile reads', async () => {
    expect((await cloud.call('login', {}, { openid: OPENID })).status).toBe(200);
    await open('database');
    await page.locator('[data-collection="users"]').click();
    await page.locator('[data-test="query"]').fill(JSON.stringify({ _id: OPENID }));
    await page.locator('[data-test="run-query"]').click();
    const rows = page.locator('[data-test="documents"] tbody tr');
    await rows.filter({ hasText: OPENID }).waitFor();
    expect(await rows.count()).toBe(1);
    await rows.first().locator('[data-test="edit"]').click();
    const editor = page.locator('[data-test="editor"]');
    const text = await editor.inputValue();
    expect(text).toContain('"loginCount": 1');
    await editor.fill(text.replace('"loginCount": 1', '"loginCount": 42'));
    await page.locator('[data-test="save"]').click();
    await page.locator('.el-message', { hasText: '已保存' }).waitFor();

    const profile = await cloud.call('getProfile', {}, { openid: OPENID });
    expect(profile.body).toMatchObject({ ok: true, data: { loginCount: 42 } });
    await page.locator('[data-test="query"]').fill('');
    await page.locator('[data-test="run-query"]').click();
    await shoot('database');
  });

  it('an uploaded avatar shows its preview in 存储 and on its user in 用户', async () => {
    await cloud.call('login', {}, { openid: OTHER });
    const cloudPath = `avatars/${OTHER}/1700000000000.png`;
    const uploaded = await cloud.upload(OTHER, cloudPath, avatarPng());
    expect(uploaded.status).toBe(200);
    const { fileID } = uploaded.body as { fileID: string };
    const saved = await cloud.call('saveProfile', { nickName: '小蓝', avatarFileID: fileID }, { openid: OTHER });
    expect(saved.body).toMatchObject({ ok: true });

    await open('storage');
    const file = page.locator('[data-test="files"] tbody tr', { hasText: cloudPath });
    await file.waitFor();
    const preview = file.locator('[data-test="preview"] img');
    await preview.waitFor();
    await expect(
      preview.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth),
    ).resolves.toBe(64);
    await shoot('storage');

    await open('users');
    const user = page.locator('[data-test="users"] tbody tr', { hasText: OTHER });
    await user.waitFor();
    await expect(user.innerText()).resolves.toContain('小蓝');
    const avatar = user.locator('[data-test="avatar"] img');
    await avatar.waitFor();
    await expect(
      avatar.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth),
    ).resolves.toBe(64);
    await shoot('users');

    await open('overview');
    await page.locator('[data-test="functions"] tbody tr', { hasText: 'login' }).waitFor();
    await page.locator('[data-test="recent"] tbody tr').first().waitFor();
    await shoot('overview');
  });
});
