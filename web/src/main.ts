import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
// The components are imported on demand with their styles; the services called as functions
// (messages, confirmations) need theirs imported here.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './styles.css';

createApp(App).use(router).mount('#app');
