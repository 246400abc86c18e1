import { session, type SessionState } from '../../services/session';
import { hold, release } from '../../services/subscriptions';

interface Topic {
  id: string;
  title: string;
  summary: string;
}

const TOPICS: Topic[] = [
  { id: 'login', title: '静默登录', summary: '打开小程序即完成登录，无需任何弹窗。' },
  { id: 'profile', title: '头像昵称', summary: '点击按钮后才会请求头像昵称，拒绝也不影响使用。' },
  { id: 'privacy', title: '隐私保护', summary: '使用头像昵称前，会先请你阅读并同意隐私保护指引。' },
];

function greeting(state: SessionState): string {
  return state.profile ? `你好，${state.profile.nickName}` : '你好，欢迎来到云开发登录示例';
}

Component({
  data: { greeting: greeting(session.current), topics: TOPICS },
  lifetimes: {
    attached() {
      hold(
        this,
        session.subscribe((state) => this.setData({ greeting: greeting(state) })),
      );
    },
    detached() {
      release(this);
    },
  },
});
