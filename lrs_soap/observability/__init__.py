"""Observability: the request journal's capture, Prometheus metrics, structured logs with a
request id, and the optional OpenTelemetry tracing. A face-level adapter: it wraps the WSGI
application (lrs_soap.entrypoints.wsgi) and never reaches into the SOAP faces or the store."""
