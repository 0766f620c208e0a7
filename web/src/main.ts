import { createApp } from 'vue'
import { createKratos } from './api/kratos'
import App from './App.vue'
import { createSession, sessionKey } from './composables/useSession'
import { createAppRouter } from './router'
import './styles.css'

const session = createSession(createKratos())
createApp(App).provide(sessionKey, session).use(createAppRouter(session)).mount('#app')
