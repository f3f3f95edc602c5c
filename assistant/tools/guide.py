"""The care guide as structured blocks, for the tools that work through it section by section.

Inspection preparation, the supervision planner and the browse pages read whole KLOE sections in
the guide's own order, which a similarity search does not give. They read the parsed blocks (the
same parser the index uses, so a citation here names the same lines as one in a chat answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import AssistantError
from assistant.kloe import KEY_QUESTIONS, KloeSection
from assistant.services import service_fits
from assistant.types import Block, BlockKind, Citation, SourceDoc

Section = KloeSection  # one KLOE section of the guide (S3 has two: Safe recruitment and Safe staffing)


@dataclass(frozen=True)
class Guide:
    source: SourceDoc
    blocks: tuple[Block, ...]
    sections: tuple[KloeSection, ...]

    def section(self, ref: str) -> Section:
        """A section by slug, label ("S3 Safe staffing") or code (the first section with that code)."""
        ref = (ref or "").strip()
        for s in self.sections:
            if ref in (s.slug, s.label) or ref.lower() == s.slug.lower():
                return s
        for s in self.sections:
            if ref.upper() == s.code:
                return s
        raise UnknownSection(ref)

    def scope(self, ref: str) -> list[Section]:
        """Sections for a key question ("Well-led", "W"), a KLOE code ("S3": both sections) or one section."""
        ref = (ref or "").strip()
        for letter, name in KEY_QUESTIONS.items():
            if ref.lower() in (name.lower(), name.lower().replace("-", " ")) or ref.upper() == letter:
                return [s for s in self.sections if s.code[0] == letter]
        same_code = [s for s in self.sections if s.code == ref.upper()]
        return same_code or [self.section(ref)]

    def blocks_of(self, section: Section, kinds: set[BlockKind] | None = None,
                  service: str | None = None) -> list[Block]:
        return [b for b in self.blocks if b.kloe == section.code and b.kloe_title == section.title
                and (kinds is None or b.kind in kinds) and service_fits(b.service_type, service)]

    def front(self, heading: str) -> list[Block]:
        """Blocks of a front section (and its sub-sections) whose heading starts with ``heading``."""
        return [b for b in self.blocks if b.kloe is None and (b.section or "").startswith(heading)]

    def block_at(self, line: int) -> Block | None:
        """The block that holds a 1-based line of the guide (a chat citation's first line)."""
        for b in self.blocks:
            if b.line_start <= line <= b.line_end:
                return b
        return None

    def citation(self, n: int, block: Block) -> Citation:
        location = f"line {block.line_start}" if block.line_start == block.line_end else \
            f"lines {block.line_start}-{block.line_end}"
        return Citation(n=n, doc=block.doc_id, title=self.source.title, publisher=self.source.publisher,
                        key_question=block.key_question, kloe=block.kloe, kloe_title=block.kloe_title,
                        block_type=block.kind.value, service_type=block.service_type, provider=block.provider,
                        location=location, text=block.text, score=1.0, section=block.section)


class UnknownSection(AssistantError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"There is no guide section called {ref!r}. Use a key question (Safe, Effective, Caring, "
                         "Responsive, Well-led), a KLOE code such as S1 or W2, or a section name such as "
                         "'S3 Safe staffing'.")


class GuideMissing(AssistantError):
    pass


@lru_cache(maxsize=4)
def _load(path: Path, source: SourceDoc, stamp: float) -> Guide:
    from assistant.ingest.care_guide import parse_care_guide
    from assistant.ingest.loaders import load_document
    from assistant.kloe import parse_contents

    doc = load_document(path, source)
    blocks = tuple(parse_care_guide(doc))
    return Guide(source=source, blocks=blocks, sections=tuple(parse_contents(doc.lines)))


def load_guide(corpus_dir: Path) -> Guide:
    """The guide in ``corpus_dir``, parsed once per process (again only when the file changes)."""
    from assistant.errors import DocumentError
    from assistant.ingest.loaders import load_catalogue

    try:
        source = next(s for s in load_catalogue(corpus_dir).values() if s.parser == "care_guide")
        path = corpus_dir / source.doc_id
        return _load(path, source, path.stat().st_mtime)
    except StopIteration:
        raise GuideMissing(f"No document in {corpus_dir}/catalogue.toml uses the care guide's parser, so the "
                           "guide's sections are not available. Add the guide with parser = \"care_guide\".") from None
    except (OSError, DocumentError, ValueError) as e:
        raise GuideMissing(f"The care guide in {corpus_dir} cannot be read ({e}). Restore the file from the "
                           "project's corpus folder.") from None
