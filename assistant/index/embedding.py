"""How texts become vectors: the packaged sentence-transformers model, loaded once per process, never from a hub."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from assistant.errors import AssistantError

# How texts become vectors besides the model's weights (normalised, whole-text, fp32). Vectors of an
# earlier build are reused only when this, the model and its weights' size are unchanged.
EMBEDDING_VERSION = "normalized-fp32-1"


@runtime_checkable
class Embedder(Protocol):
    """What the index needs of an embedding model (LangChain's ``Embeddings`` satisfies it)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@lru_cache(maxsize=4)
def load_embedder(model_path: str, batch_size: int = 16) -> Embedder:
    """The sentence-transformers model at ``model_path``, loaded once per process, never from a hub."""
    from langchain_huggingface import HuggingFaceEmbeddings

    if not Path(model_path).exists():
        raise AssistantError(
            f"The embedding model was not found at {model_path}. Reinstall with the set-up command, "
            "or set ASSISTANT_EMBEDDING_MODEL to a folder that holds a sentence-transformers model."
        )
    return HuggingFaceEmbeddings(
        model_name=model_path,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
    )
