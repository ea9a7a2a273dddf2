"""OS1 in the browser and over the OpenAI-compatible API: one ASGI app, many accounts.

Importing this package imports nothing heavy; the web framework is imported by
`os1.server.asgi` only when a server is built.
"""
