"""Reading an uploaded file in a child process with a memory cap and a time limit.

A hostile PDF or Word file can be small and still take minutes and gigabytes to read. The limits in
``ReadLimits`` are checked while reading; this is the second wall: the child caps its own address
space before it reads a byte, and the parent kills it when time runs out, so the server itself never
holds more than the file's bytes and the text that comes back.

Run as ``python -m assistant.ingest.sandbox SUFFIX MEMORY_MB PAGES PARAGRAPHS CHARS SECONDS``, with the
file's bytes on standard input; it writes JSON (``{"lines", "pages"}`` or ``{"error"}``) on standard output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import astuple

from assistant.errors import DocumentError
from assistant.ingest.loaders import ReadLimits, load_bytes
from assistant.types import Document, SourceDoc


def read_untrusted(name: str, suffix: str, data: bytes, source: SourceDoc, limits: ReadLimits,
                   memory_mb: int) -> Document:
    """The document in ``data`` (of type ``suffix``), read by a child process within ``limits``.

    Raises DocumentError with a plain message when the file is refused, damaged, too big or too slow."""
    args = [sys.executable, "-m", "assistant.ingest.sandbox", suffix, str(memory_mb),
            *(str(v) for v in astuple(limits))]
    try:
        # A little over the reading limit: the child's own check speaks first, with the clearer message.
        done = subprocess.run(args, input=data, capture_output=True, timeout=limits.seconds + 10, check=False)
    except subprocess.TimeoutExpired:
        raise DocumentError(name, f"it could not be read within {limits.seconds:.0f} seconds",
                            "Save it again (for example as a simpler PDF or a Word file) and retry.") from None
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = {}
    if "error" in result:
        raise DocumentError(name, result["error"], result.get("advice", "Check that it is the right file."))
    if done.returncode != 0 or "lines" not in result:
        # Killed by the memory cap (MemoryError, or the kernel's signal): the file asked for too much.
        raise DocumentError(name, "it needs more memory to read than a document should",
                            "Save it again from the program that made it, or split it, and retry.")
    return Document(source=source, lines=result["lines"], pages=result["pages"])


def _child(argv: list[str]) -> int:
    import resource

    suffix, memory_mb, *numbers = argv
    cap = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    pages, paragraphs, chars, seconds, unpacked = numbers
    limits = ReadLimits(int(pages), int(paragraphs), int(chars), float(seconds), int(unpacked))
    data = sys.stdin.buffer.read()
    source = SourceDoc(doc_id="upload", title="upload", publisher="", year="", kind="uploaded")
    try:
        doc = load_bytes("upload", suffix, data, source, limits)
    except DocumentError as e:
        out = {"error": e.problem, "advice": e.advice}  # the parent names the file itself
    else:
        out = {"lines": doc.lines, "pages": doc.pages}
    sys.stdout.write(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
