"""The Organisation Portal: a web face over the same service layer as the SOAP faces.

Server-rendered GOV.UK Frontend pages (Flask, Flask-WTF, govuk-frontend-jinja/-wtf), one
views module per charter area under ``views/``. Imports service and domain, never store or
soap (import-linter). Mounted at /portal by lrs_soap.entrypoints.wsgi.
"""
