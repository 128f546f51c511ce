#!/usr/bin/env python3
"""Is there a libclang that bindgen (the HiGHS bindings) can use?

Finds the libclang shared library the way clang-sys 1.x does when bindgen loads it at run time
(honouring LIBCLANG_PATH and LLVM_CONFIG_PATH), loads it, and parses a C file that includes the
standard headers HiGHS's C API includes. Prints the library used and exits 0 when it works;
prints why not and exits 1 otherwise.

libclang-cpp (the C++ library a new machine ships with LLVM) is not libclang: it lacks the C API.
"""

import ctypes
import glob
import os
import subprocess
import sys

# clang-sys build/dynamic.rs: the names tried on Linux when loading at run time.
NAMES = ["libclang.so", "libclang-*.so", "libclang.so.*", "libclang-*.so.*"]
# clang-sys build/common.rs: the directories searched when LIBCLANG_PATH is not set, in order.
DIRECTORIES = [
    "/usr/local/llvm*/lib*",
    "/usr/local/lib*/*/*",
    "/usr/local/lib*/*",
    "/usr/local/lib*",
    "/usr/lib*/*/*",
    "/usr/lib*/*",
    "/usr/lib*",
]
# What bindgen must parse: HiGHS's C API includes these, in C.
SOURCE = b"#include <stddef.h>\n#include <stdint.h>\n#include <inttypes.h>\n#include <stdbool.h>\n"


def search_directory(directory):
    """The matching files of one directory, libclang-cpp left out (as clang-sys does)."""
    found = []
    for name in NAMES:
        for path in sorted(glob.glob(os.path.join(glob.escape(directory), name))):
            filename = os.path.basename(path)
            if "-cpp." not in filename:
                found.append((directory, filename))
    return found


def candidates():
    """Every libclang clang-sys would consider, in its order of preference."""
    variable = os.environ.get("LIBCLANG_PATH")
    if variable is not None:
        parent, filename = os.path.split(variable)
        if filename and any(f == filename for _, f in search_directory(parent or ".")):
            return [(parent, filename)]
        return search_directory(variable)
    found = []
    llvm_config = os.environ.get("LLVM_CONFIG_PATH", "llvm-config")
    try:
        prefix = subprocess.run(
            [llvm_config, "--prefix"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
        for sub in ("bin", "lib", "lib64"):
            found += search_directory(os.path.join(prefix, sub))
    except (OSError, subprocess.CalledProcessError, IndexError):
        pass
    for pattern in DIRECTORIES:
        for directory in sorted(glob.glob(pattern)):
            if os.path.isdir(directory):
                found += search_directory(directory)
    return found


def version(filename):
    """clang-sys's parse_version: the numbers in the name; the highest version wins."""
    if filename.startswith("libclang.so."):
        text = filename[len("libclang.so."):]
    elif filename.startswith("libclang-"):
        text = filename[9:len(filename) - 3]
    else:
        return []
    numbers = []
    for part in text.split("."):
        try:
            numbers.append(int(part))
        except ValueError:
            numbers.append(0)
    return numbers


def is_elf64(path):
    try:
        with open(path, "rb") as f:
            header = f.read(5)
    except OSError:
        return False
    return header[:4] == b"\x7fELF" and header[4:5] == b"\x02"


class CXUnsavedFile(ctypes.Structure):
    _fields_ = [("Filename", ctypes.c_char_p), ("Contents", ctypes.c_char_p), ("Length", ctypes.c_ulong)]


class CXString(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("private_flags", ctypes.c_uint)]


def parse_errors(path):
    """Loads the library and parses SOURCE with it; the errors found (empty when it works)."""
    try:
        lib = ctypes.CDLL(path)
        create_index = lib.clang_createIndex
    except (OSError, AttributeError) as e:
        return [f"not a usable libclang: {e}"]
    create_index.restype = ctypes.c_void_p
    create_index.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.clang_parseTranslationUnit.restype = ctypes.c_void_p
    lib.clang_parseTranslationUnit.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
        ctypes.POINTER(CXUnsavedFile), ctypes.c_uint, ctypes.c_uint,
    ]
    lib.clang_getNumDiagnostics.restype = ctypes.c_uint
    lib.clang_getNumDiagnostics.argtypes = [ctypes.c_void_p]
    lib.clang_getDiagnostic.restype = ctypes.c_void_p
    lib.clang_getDiagnostic.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    lib.clang_getDiagnosticSeverity.restype = ctypes.c_int
    lib.clang_getDiagnosticSeverity.argtypes = [ctypes.c_void_p]
    lib.clang_formatDiagnostic.restype = CXString
    lib.clang_formatDiagnostic.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    lib.clang_getCString.restype = ctypes.c_char_p
    lib.clang_getCString.argtypes = [CXString]

    index = create_index(0, 0)
    unsaved = CXUnsavedFile(b"check.h", SOURCE, len(SOURCE))
    args = (ctypes.c_char_p * 2)(b"-x", b"c")
    unit = lib.clang_parseTranslationUnit(index, b"check.h", args, 2, ctypes.byref(unsaved), 1, 0)
    if not unit:
        return ["libclang could not parse a C file"]
    errors = []
    for i in range(lib.clang_getNumDiagnostics(unit)):
        diagnostic = lib.clang_getDiagnostic(unit, i)
        if lib.clang_getDiagnosticSeverity(diagnostic) >= 3:  # CXDiagnostic_Error, _Fatal
            text = lib.clang_getCString(lib.clang_formatDiagnostic(diagnostic, 0))
            errors.append(text.decode(errors="replace"))
    return errors


def main():
    valid = [(d, f) for d, f in candidates() if is_elf64(os.path.join(d, f))]
    if not valid:
        where = f"in LIBCLANG_PATH={os.environ['LIBCLANG_PATH']}" if "LIBCLANG_PATH" in os.environ else "where clang-sys looks"
        print(f"libclang: no libclang shared library {where}", file=sys.stderr)
        return 1
    directory, filename = max(valid, key=lambda c: version(c[1]))
    path = os.path.join(directory, filename)
    errors = parse_errors(path)
    if errors:
        print(f"libclang: {path}: " + "; ".join(errors), file=sys.stderr)
        return 1
    print(f"libclang: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
