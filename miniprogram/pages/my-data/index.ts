import { loadMyData, type DataRow } from '../../services/account';

/** 我的数据: everything stored about the user, read once when the page opens. */
Component({
  data: {
    loading: true,
    rows: [] as DataRow[],
    avatarSrc: '',
    message: '',
  },
  lifetimes: {
    attached() {
      void this.load();
    },
  },
  methods: {
    async load() {
      this.setData({ loading: true, message: '' });
      const view = await loadMyData();
      if (view.ok) this.setData({ loading: false, rows: view.rows, avatarSrc: view.avatarSrc });
      else this.setData({ loading: false, rows: [], avatarSrc: '', message: view.message });
    },
    onRetry() {
      if (!this.data.loading) void this.load();
    },
  },
});
