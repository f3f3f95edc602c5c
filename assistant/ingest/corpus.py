"""The corpus folder to chunks: every catalogued document loaded, parsed and chunked.

A document that cannot be read is reported and skipped; the rest of the corpus still indexes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest.chunk import chunk_blocks
from assistant.kloe import KloeSection, parse_contents
from assistant.types import Block, Chunk, Document


@dataclass
class CorpusChunks:
    chunks: list[Chunk]
    blocks: dict[str, list[Block]]
    errors: list[str] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)


def blocks_for(doc: Document) -> list[Block]:
    """Typed blocks of one document, by the parser its catalogue entry names.

    Raises DocumentError when the care-guide parser is pointed at a file without the guide's shape."""
    if doc.source.parser == "care_guide":
        from assistant.ingest.care_guide import parse_care_guide

        try:
            return parse_care_guide(doc)
        except ValueError as e:
            raise DocumentError(doc.doc_id, f"it does not have the care guide's structure ({e})",
                                'Set parser = "generic" for it in corpus/catalogue.toml.') from None
    from assistant.ingest.generic import split_generic

    return split_generic(doc)


def load_corpus(corpus_dir: Path) -> CorpusChunks:
    """Every catalogued document parsed and chunked; a file that fails is reported, the rest go on."""
    from assistant.ingest.loaders import corpus_files, load_catalogue, load_document

    catalogue = load_catalogue(corpus_dir)
    out = CorpusChunks(chunks=[], blocks={})
    for path in corpus_files(corpus_dir, catalogue):
        try:
            out.file_hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
            doc = load_document(path, catalogue[path.name])
            blocks = blocks_for(doc)
        except OSError as e:
            out.errors.append(f"{path.name}: the file cannot be read ({e.strerror}). Check its permissions.")
            continue
        except DocumentError as e:
            out.errors.append(str(e))
            continue
        out.blocks[doc.doc_id] = blocks
        out.chunks.extend(chunk_blocks(blocks, doc.source))
    missing = [name for name in catalogue if not (corpus_dir / name).is_file()]
    out.errors.extend(f"{name}: listed in catalogue.toml but not found in {corpus_dir}." for name in missing)
    listed = set(catalogue) | {"catalogue.toml", "README.md"}
    out.errors.extend(
        f"{p.name}: not listed in corpus/catalogue.toml, so not indexed. Add an entry with its title to include it."
        for p in sorted(corpus_dir.iterdir()) if p.is_file() and p.name not in listed and not p.name.startswith(".")
    )
    return out


def kloe_sections(corpus_dir: Path) -> list[KloeSection]:
    """The KLOE sections listed in the care guide's contents (empty when the corpus has no guide)."""
    from assistant.ingest.loaders import load_catalogue

    try:
        guide = next(s for s in load_catalogue(corpus_dir).values() if s.parser == "care_guide")
        return parse_contents((corpus_dir / guide.doc_id).read_text(encoding="utf-8").split("\n"))
    except (StopIteration, OSError, DocumentError):
        return []
