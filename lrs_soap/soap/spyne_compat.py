"""Let spyne 2.14.0 (its newest release) import on Python 3.12 and 3.13 without forking it.

spyne vendors an old ``six`` whose ``spyne.util.six.moves`` relies on the ``find_module``
import protocol that 3.12 removed. We register a ``sys.meta_path`` finder that answers
``spyne.util.six.moves`` and its submodules with the maintained ``six.moves`` before spyne is
first imported. On 3.13 the removed ``cgi`` module comes from the ``legacy-cgi`` package.
On 3.11 nothing is needed and nothing is installed.
"""

import importlib
import importlib.abc
import importlib.util
import sys

_PREFIX = "spyne.util.six.moves"


class _SixMovesAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == _PREFIX or fullname.startswith(_PREFIX + "."):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        target = "six.moves" + spec.name[len(_PREFIX):]
        return importlib.import_module(target)

    def exec_module(self, module):
        # the module is six's own, already initialised
        pass


def install() -> None:
    if sys.version_info < (3, 12):
        return
    if not any(isinstance(finder, _SixMovesAlias) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SixMovesAlias())
