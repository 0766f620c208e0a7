/** Served at `/` until the web app is built. */
export const placeholderPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Ticketing</title></head>
<body>
  <h1>Ticketing</h1>
  <p>The marketplace API is up. Try <a href="/api/tickets">/api/tickets</a> or
  <a href="/api/tickets/openapi.json">its OpenAPI document</a>.</p>
</body>
</html>
`
