import { AppError } from '@ticketing/shared/platform'

export const ticketReserved = () =>
  new AppError('ticket-reserved', 409, 'The ticket is reserved by an order and cannot be edited')

export const ticketChanged = () =>
  new AppError('ticket-changed', 409, 'The ticket was changed at the same time; reload it and try again')
