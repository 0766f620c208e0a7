import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// `npm run dev -w web` serves the app with hot reload; the API and Kratos come from a running `npm start`.
const gateway = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      '/api': gateway,
      '/.ory': gateway,
    },
  },
})
