"""The SOAP faces. spyne and lxml are used here and nowhere else; importing this package does
nothing else (the native face's package readies spyne's import: lrs_soap.soap.native)."""
