import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

// The yardstick: a bare node:http server answering every request with the same bytes as the tickets service's
// search page (the file BENCH_BODY), so the difference is all the service's own work.
const body = readFileSync(process.env.BENCH_BODY ?? '')
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`)
})
process.once('SIGTERM', () => server.close(() => process.exit(0)))
