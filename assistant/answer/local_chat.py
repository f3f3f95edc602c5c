"""A GGUF model run by transformers on this machine's CPU, as a LangChain chat model that streams.

Imported only when ASSISTANT_LLM=gguf: it loads LangChain, and torch when the model loads.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

from assistant.answer.backends import INSTALL_HINT, ConfigError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


@cache
def load_gguf(path: str) -> tuple[Any, Any]:
    """(model, tokenizer) from a GGUF file, de-quantised by transformers; loaded once per process and file."""
    try:
        import gguf  # noqa: F401 - transformers needs it to read the file; a clear message if it is missing
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError:
        raise ConfigError(f"The local model needs the gguf and transformers packages. {INSTALL_HINT}") from None
    folder, name = str(Path(path).parent), Path(path).name
    # transformers draws a de-quantising progress bar of its own (plain tqdm) that would fill the logs.
    with contextlib.redirect_stderr(io.StringIO()):
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, local_files_only=True)
    model.eval()
    return model, tokenizer


class LocalChat(BaseChatModel):
    """A causal LM loaded by transformers as a LangChain chat model, streaming token by token.

    langchain_huggingface's ChatHuggingFace over HuggingFacePipeline could run it too, but its stream
    ignores the pipeline's generation settings and cannot be stopped: this one stops generating as
    soon as the reader stops reading (an answer that timed out must not keep the CPU busy).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model: Any
    tokenizer: Any
    model_name: str = "local"
    max_new_tokens: int = 300
    max_time: float = 60.0

    @property
    def _llm_type(self) -> str:
        return "transformers-local"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "max_new_tokens": self.max_new_tokens}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(chunk.text for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        inputs = self.tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt",
                                                    return_dict=True)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        halt = threading.Event()

        class Halt(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kw: Any) -> Any:
                return torch.full((input_ids.shape[0],), halt.is_set(), dtype=torch.bool)

        failed: list[BaseException] = []

        def run() -> None:
            try:
                with torch.inference_mode():
                    self.model.generate(**inputs, streamer=streamer, do_sample=False,
                                        max_new_tokens=int(kwargs.get("max_new_tokens", self.max_new_tokens)),
                                        max_time=self.max_time, stopping_criteria=StoppingCriteriaList([Halt()]),
                                        pad_token_id=self.tokenizer.eos_token_id)
            except BaseException as e:  # handed to the reader, which raises it
                failed.append(e)
                streamer.end()

        worker = threading.Thread(target=run, name="local-llm", daemon=True)
        worker.start()
        _RUNNING.add((halt, worker))
        try:
            for text in streamer:
                if not text:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
        finally:
            halt.set()
            if worker is not threading.current_thread():  # a generator closed by the collector in the worker
                worker.join(timeout=_JOIN_SECONDS)  # generation stops at its next token
            _RUNNING.discard((halt, worker))
        if failed:
            raise failed[0]


# Generations still running when the process ends (a reply abandoned after a timeout) are stopped and
# joined first: torch aborts the process ("terminate called without an active exception") if a
# thread is still inside generate() while the interpreter shuts down.
_RUNNING: set[tuple[threading.Event, threading.Thread]] = set()
_JOIN_SECONDS = 10.0


@atexit.register
def _stop_generations() -> None:
    for halt, worker in list(_RUNNING):
        halt.set()
        worker.join(timeout=_JOIN_SECONDS)
