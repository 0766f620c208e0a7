import { AppError } from '@ticketing/shared/platform'

export const ticketReserved = () =>
  new AppError('ticket-reserved', 409, 'Someone else holds this ticket; try again when the reservation ends')

export const orderNotCancellable = (status: string) =>
  new AppError('order-not-cancellable', 409, `The order is ${status}; only an order waiting for payment can be cancelled`)

export const orderChanged = () =>
  new AppError('order-changed', 409, 'The order was changed at the same time; reload it and try again')
