# Written by `pickfix run` into a temporary folder that it puts first on PYTHONPATH, and removes when the
# command ends. It makes "@START_METHOD@" the default start method of multiprocessing (and so of
# concurrent.futures, which takes multiprocessing's default) and of `multiprocess` (dill's fork of it),
# the way a platform chooses it: code that calls set_start_method() or get_context("fork") keeps its
# choice. The change waits until `multiprocessing.context` is imported: a process that never imports it
# pays for one dictionary look-up per import. Then it runs the sitecustomize this file hides, if any.
import sys

_METHOD = "@START_METHOD@"
# The modules whose `_default_context` (a DefaultContext) holds the context used when nobody chose one.
_CONTEXT_MODULES = frozenset(["multiprocessing.context", "multiprocess.context"])


def _set_default(module):
    """Changes the default start method of a context module, not an explicit choice."""
    try:
        default = module._default_context
        contexts = module._concrete_contexts
        if not hasattr(default, "_default_context"):
            return
        if _METHOD not in contexts:
            sys.stderr.write(
                "pickfix run: the start method %r is not available in %s here; its default stays %r\n"
                % (_METHOD, module.__name__, default._default_context._name)
            )
            return
        default._default_context = contexts[_METHOD]
    except Exception as error:  # never break the program over this
        sys.stderr.write("pickfix run: cannot set the default start method of %s: %r\n" % (module.__name__, error))


class _SetDefaultOnImport(object):
    """A finder that finds nothing itself: for the context modules it asks the finders after it, and
    wraps the loader's exec_module so that the default is changed as soon as the module has run."""

    def __init__(self):
        self._busy = set()

    def find_spec(self, name, path=None, target=None):
        if name not in _CONTEXT_MODULES or name in self._busy:
            return None
        self._busy.add(name)
        try:
            spec = None
            finders = sys.meta_path[sys.meta_path.index(self) + 1 :] if self in sys.meta_path else sys.meta_path
            for finder in finders:
                find_spec = getattr(finder, "find_spec", None)
                if find_spec is not None:
                    spec = find_spec(name, path, target)
                    if spec is not None:
                        break
        finally:
            self._busy.discard(name)
        loader = getattr(spec, "loader", None)
        original = getattr(loader, "exec_module", None)
        if original is None:
            return spec

        def exec_module(module):
            try:
                del loader.exec_module  # the loader is as it was
            except AttributeError:
                pass
            original(module)
            if module.__name__ == name:
                _set_default(module)

        try:
            loader.exec_module = exec_module
        except Exception:
            pass
        return spec


def _install():
    for name in _CONTEXT_MODULES:
        module = sys.modules.get(name)
        if module is not None:
            _set_default(module)
    sys.meta_path.insert(0, _SetDefaultOnImport())


def _chain():
    """Imports the sitecustomize that would have run without this one (a virtualenv's, the system's, one
    on the user's PYTHONPATH): this folder leaves sys.path and this module sys.modules meanwhile."""
    import os

    def key(entry):
        try:
            return os.path.normcase(os.path.abspath(entry or os.curdir))
        except Exception:
            return None

    here = key(os.path.dirname(__file__))
    saved = list(sys.path)
    ours = [i for i, entry in enumerate(saved) if isinstance(entry, str) and key(entry) == here]
    this = sys.modules.pop(__name__, None)
    sys.path[:] = [entry for i, entry in enumerate(saved) if i not in ours]
    found = False
    try:
        try:
            import sitecustomize  # noqa: F401  (the next one)

            found = True
        except ImportError as error:
            if getattr(error, "name", None) != "sitecustomize":
                raise
    finally:
        # Back where they were, after whatever the other sitecustomize changed.
        for i in ours:
            sys.path.insert(min(i, len(sys.path)), saved[i])
        if not found and this is not None:
            sys.modules[__name__] = this


_install()
_chain()
