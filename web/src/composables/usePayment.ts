import { ref } from 'vue'
import { ApiError, messageOf } from '../api/http'
import { payOrder, type PaymentOutcome } from '../api/payments'

/** Paying an order with a card: the outcome, Stripe's decline message, or the need to authenticate. */
export function usePayment() {
  const busy = ref(false)
  /** True once a payment went through: the order may no longer be paid again or cancelled from this page. */
  const paid = ref(false)
  const problem = ref('')
  const notice = ref('')

  async function pay(orderId: string, paymentMethod: string): Promise<PaymentOutcome | ApiError | null> {
    busy.value = true
    problem.value = ''
    notice.value = ''
    try {
      const outcome = await payOrder(orderId, paymentMethod)
      paid.value = outcome.kind === 'paid'
      notice.value = paid.value
        ? 'Payment received. Confirming your order…'
        : 'Your bank asks you to authenticate this payment (3-D Secure). The order stays reserved until it is confirmed or the time runs out.'
      return outcome
    } catch (err) {
      problem.value = messageOf(err)
      return err instanceof ApiError ? err : null
    } finally {
      busy.value = false
    }
  }

  return { busy, paid, problem, notice, pay }
}
