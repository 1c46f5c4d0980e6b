"""The native face (/soap/v1): the project's own strict, typed contract.

Its modules define the operations with spyne, so spyne must import: on Python 3.12+ that
needs the compatibility import hook (lrs_soap.soap.spyne_compat), installed here, before any
of them imports spyne. It changes nothing but where ``spyne.util.six.moves`` comes from.
"""

from lrs_soap.soap import spyne_compat

spyne_compat.install()
