/** The mini program's one configuration file. */
export interface LocalCloudConnection {
  /**
   * Send function calls and uploads to a local HTTP server instead of wx.cloud. Honoured in the
   * develop version only (`envVersion === 'develop'`), never in trial or release.
   */
  enabled: boolean;
  baseUrl: string;
  /** The simulated caller: the local server has no WeChat session to take the identity from. */
  openid: string;
  unionid?: string;
}

export interface MiniProgramConfig {
  /** 云开发环境 ID (云开发控制台 → 设置 → 环境 ID). Empty: the default environment. */
  envId: string;
  localCloud: LocalCloudConnection;
}

export const config: MiniProgramConfig = {
  envId: '',
  localCloud: {
    enabled: false,
    baseUrl: 'http://127.0.0.1:3000',
    openid: 'oLocalDeveloper0000000000001',
  },
};
