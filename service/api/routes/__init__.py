"""Route modules, one per resource; each only parses the request, calls one function and shapes the answer."""
