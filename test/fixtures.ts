/** Sample data shared by the function tests, the fault suites and the local-cloud end-to-end suite. */

/** What wx.getUserProfile returns for a real user (before the 2022-11 anonymisation). */
export const WECHAT_PROFILE = {
  nickName: '小明',
  avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/abcdef/132',
  gender: 1,
  country: 'China',
  province: 'Guangdong',
  city: 'Shenzhen',
  language: 'zh_CN',
};
