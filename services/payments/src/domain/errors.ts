import { AppError } from '@ticketing/shared/platform'
import type { Rejected } from '../gateway/payment-gateway'

export const orderCancelled = () => new AppError('order-cancelled', 409, 'The order is cancelled and can no longer be paid')

export const orderPaid = () => new AppError('order-paid', 409, 'The order is paid already')

export const orderExpired = () => new AppError('order-expired', 409, 'The reservation has ended; the order can no longer be paid')

/** The buyer's order exists, but its order.created has not reached payments yet. */
export const orderNotReady = () => new AppError('order-not-ready', 409, 'The order is still on its way to payments; try again in a moment')

export const paymentCanceled = () =>
  new AppError('payment-canceled', 409, 'The payment provider canceled the payment while it was being made; try again')

export const cardDeclined = (message: string) => new AppError('card-declined', 402, message)

export const invalidPaymentMethod = (message: string) =>
  new AppError('invalid-payment-method', 400, 'The payment method cannot be used', [{ field: 'paymentMethod', message }])

export const paymentRejected = (message: string) => new AppError('payment-rejected', 422, message)

/** Stripe's refusal of a request: the buyer's payment method when it is to blame, otherwise the charge itself. */
export const refused = ({ param, message }: Rejected) =>
  param === 'payment_method' ? invalidPaymentMethod(message) : paymentRejected(message)
