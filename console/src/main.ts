import 'element-plus/dist/index.css';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
