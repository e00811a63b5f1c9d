"""Import one extension module by path, as CPython's import system would, and report how it went.

Usage: python -I -B import_modules.py RESULT_FILE FULLNAME PATH SYS_PATH_ENTRY...

Loads PATH as the module FULLNAME (e.g. `numpy._core._multiarray_umath`) with
importlib.machinery.ExtensionFileLoader, module_from_spec (which dlopens the file and calls
its PyInit_/PyModExport_ hook) and exec_module, with the SYS_PATH_ENTRY directories (the
unzipped wheel) first on sys.path so the module's own imports find its package. The parent
package is imported first, as `import a.b.c` does; when that import already loaded this very
file, that load is the result (via "package"). Writes one JSON object to RESULT_FILE:
{"ok": true, "via": ...} or {"ok": false, "error": "<Type>: <message>", "via": ...}.
Runs on every CPython from 3.6 on: stdlib only, no newer syntax.
"""

import json
import sys


def main():
    result_file, fullname, path = sys.argv[1:4]
    roots = sys.argv[4:]
    sys.path[0:0] = roots
    result = {"ok": True, "via": "direct"}
    try:
        import importlib
        import importlib.machinery
        import importlib.util
        import os

        # The package first, as `import a.b.c` would: a package __init__ that imports this
        # module itself then finds it complete, instead of half-initialised in sys.modules.
        # Its failure (a missing dependency) is not this module's, so it is only noted.
        parent = fullname.rpartition(".")[0]
        if parent:
            try:
                importlib.import_module(parent)
            except BaseException as e:
                result["parent_error"] = "%s: %s" % (type(e).__name__, e)
        loaded = sys.modules.get(fullname)
        origin = getattr(getattr(loaded, "__spec__", None), "origin", None) if loaded else None
        if origin and os.path.exists(origin) and os.path.samefile(origin, path):
            # The package's own import already loaded this very file through the same
            # ExtensionFileLoader (FileFinder's loader for extension suffixes).
            result["via"] = "package"
        else:
            loader = importlib.machinery.ExtensionFileLoader(fullname, path)
            spec = importlib.util.spec_from_file_location(fullname, path, loader=loader)
            module = importlib.util.module_from_spec(spec)
            sys.modules[fullname] = module
            loader.exec_module(module)
    except BaseException as e:  # SystemExit and KeyboardInterrupt from a module's init too
        result = {"ok": False, "error": "%s: %s" % (type(e).__name__, e), "via": result["via"]}
    with open(result_file, "w") as f:
        json.dump(result, f)
    sys.stdout.flush()
    # Skip interpreter teardown: some modules (gevent-style hubs, threads) hang or crash
    # at exit, which is no part of what is tested.
    import os

    os._exit(0)


if __name__ == "__main__":
    main()
