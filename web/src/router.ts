import { createRouter, createWebHistory, START_LOCATION, type RouteRecordRaw } from 'vue-router'
import type { Session } from './composables/useSession'
import LoginPage from './pages/LoginPage.vue'
import LogoutPage from './pages/LogoutPage.vue'
import NotFoundPage from './pages/NotFoundPage.vue'
import OrderPage from './pages/OrderPage.vue'
import OrdersPage from './pages/OrdersPage.vue'
import SalesPage from './pages/SalesPage.vue'
import SearchPage from './pages/SearchPage.vue'
import SellPage from './pages/SellPage.vue'
import SignupPage from './pages/SignupPage.vue'
import TicketEditPage from './pages/TicketEditPage.vue'
import TicketPage from './pages/TicketPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for signed-in people; others are sent to /login and brought back. */
    signedIn?: boolean
    title?: string
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', component: SearchPage, meta: { title: 'Find tickets' } },
  { path: '/tickets/:id', component: TicketPage, props: true, meta: { title: 'Ticket' } },
  { path: '/tickets/:id/edit', component: TicketEditPage, props: true, meta: { signedIn: true, title: 'Edit ticket' } },
  { path: '/sell', component: SellPage, meta: { signedIn: true, title: 'Sell a ticket' } },
  { path: '/orders', component: OrdersPage, meta: { signedIn: true, title: 'My orders' } },
  { path: '/sales', component: SalesPage, meta: { signedIn: true, title: 'My sales' } },
  { path: '/orders/:id', component: OrderPage, props: true, meta: { signedIn: true, title: 'Order' } },
  // Kratos's configured registration UI is /register (ory/kratos/kratos.yml).
  { path: '/signup', alias: '/register', component: SignupPage, meta: { title: 'Sign up' } },
  { path: '/login', component: LoginPage, meta: { title: 'Sign in' } },
  { path: '/logout', component: LogoutPage, meta: { title: 'Sign out' } },
  { path: '/:pathMatch(.*)*', component: NotFoundPage, meta: { title: 'Not found' } },
]

/** The app's routes (history mode), with the signed-in guard asking the session first. */
export function createAppRouter(session: Session) {
  const router = createRouter({ history: createWebHistory(), routes })
  router.beforeEach(async (to) => {
    const person = await session.ensure()
    if (to.meta.signedIn && !person) return { path: '/login', query: { return: to.fullPath } }
  })
  router.afterEach((to, from, failure) => {
    document.title = to.meta.title ? `${to.meta.title} · Ticketing` : 'Ticketing'
    // A new page starts reading at its content, as after a full load: screen readers and keyboards follow focus.
    // Not on the first load (the browser starts at the top) nor when only the query changes (a new search).
    if (!failure && from !== START_LOCATION && to.path !== from.path) document.getElementById('main')?.focus()
  })
  return router
}
