/** An OPL construct the stand-in (like Keto) does not accept; the message names file, line and construct. */
export class OplError extends Error {
  override name = 'OplError'
}
