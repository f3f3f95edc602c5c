"""How texts become vectors: the packaged MiniLM, run by onnxruntime, never fetched from a hub.

Importing torch and sentence-transformers costs about 7 s on a care home's office PC, longer than the
whole rest of an answer. So the model is exported to ONNX once, from its own weights, into the index
folder (``index/encoders/``, next to the builds that use it) the first time an index is built, and
every question, passage, upload and supervision plan is embedded with ``onnxruntime`` and
``tokenizers`` (both come with chromadb), mean pooling and normalising in numpy, exactly as
sentence-transformers does. Only the export imports torch.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from assistant.settings import Settings

# How texts become vectors besides the model's weights (encoder, pooling, normalised, whole-text, fp32).
# Vectors of an earlier build are reused only when this, the model and its weights' size are unchanged.
EMBEDDING_VERSION = "onnx-mean-normalized-fp32-eager-4"
INPUTS = ("inputs_embeds", "attention_mask", "token_type_ids")
VOCABULARY = "vocabulary.f32"  # the word-piece table, one float32 row per word piece, read row by row


@runtime_checkable
class Embedder(Protocol):
    """What the index needs of an embedding model (LangChain's ``Embeddings`` satisfies it)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def weights_size(model_path: str | Path) -> int:
    """The size of a model folder's weights: with its name, what says that the model changed."""
    path = Path(model_path)
    weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
    return sum(p.stat().st_size for p in weights)


def encoder_folder(model_path: str, index_dir: Path) -> Path:
    """Where the ONNX export of ``model_path`` lives: named by the model's folder and weights, so another
    model (ASSISTANT_EMBEDDING_MODEL) or new weights get their own export."""
    path = Path(model_path).resolve()
    key = hashlib.sha256(f"{path}|{weights_size(path)}|{EMBEDDING_VERSION}".encode()).hexdigest()[:12]
    return index_dir / "encoders" / f"{path.name}-{key}"


def _pooling(model_path: Path) -> tuple[str, int]:
    """(pooling, max tokens) as the sentence-transformers folder declares them."""
    pooling, max_length = "mean", 256
    config = model_path / "1_Pooling" / "config.json"
    if config.is_file():
        declared = json.loads(config.read_text(encoding="utf-8"))
        if declared.get("pooling_mode_cls_token"):
            pooling = "cls"
        elif not declared.get("pooling_mode_mean_tokens", True):
            raise AssistantError(f"The embedding model at {model_path} pools in a way this assistant does not "
                                 "support (only mean or CLS pooling). Choose a sentence-transformers model "
                                 "that uses mean pooling, such as all-MiniLM-L6-v2.")
    bert = model_path / "sentence_bert_config.json"
    if bert.is_file():
        max_length = int(json.loads(bert.read_text(encoding="utf-8")).get("max_seq_length") or max_length)
    return pooling, max_length


def export_encoder(model_path: str, folder: Path) -> Path:
    """Export the transformer of a sentence-transformers folder to ONNX in ``folder`` (with its tokenizer
    and how to pool). Imports torch: it runs when an index is built, or once if a query finds no export.
    Written to a temporary folder and renamed, so a crash never leaves half an encoder."""
    source = Path(model_path)
    if not source.exists():
        raise AssistantError(
            f"The embedding model was not found at {model_path}. Reinstall with the set-up command, "
            "or set ASSISTANT_EMBEDDING_MODEL to a folder that holds a sentence-transformers model."
        )
    if not (source / "tokenizer.json").is_file():
        raise AssistantError(f"The embedding model at {model_path} has no tokenizer.json. Choose a "
                             "sentence-transformers model saved with a fast tokenizer.")
    pooling, max_length = _pooling(source)
    import torch
    from transformers import AutoModel

    # Attention written out as matrix products ("eager"), not as the scaled-dot-product operator: the export
    # of that one carries its mask-building ops into every run, and onnxruntime fuses the eager graph into
    # its own Attention operator. 320 passages: 6.0-6.3 s against 7.2-8.2 s, cosine to sentence-transformers
    # >= 0.99999991 either way (README, Speed).
    model = AutoModel.from_pretrained(str(source), local_files_only=True, attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        # Named inputs: transformers 5's forward takes more positional arguments than an export passes.
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        # The graph starts from the word pieces' vectors, not their ids: the 47 MB table they come from is
        # read row by row from disk (OnnxEmbedder._rows), so a server never holds the rows no one uses.
        def forward(self, inputs_embeds: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(inputs_embeds=inputs_embeds, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        table = model.get_input_embeddings().weight.detach().numpy()
        table.astype("<f4").tofile(tmp / VOCABULARY)
        dim = int(table.shape[1])
        example = (torch.ones(2, 8, dim), torch.ones(2, 8, dtype=torch.long), torch.zeros(2, 8, dtype=torch.long))
        axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
        with torch.no_grad(), warnings.catch_warnings():
            # The tracer's warnings are about code paths MiniLM does not take (checked: evals/encoder.py).
            warnings.simplefilter("ignore")
            # The TorchScript exporter: the dynamo one needs onnxscript, and gives the same graph here.
            torch.onnx.export(Encoder(model), example, str(tmp / "model.onnx"), input_names=list(INPUTS),
                              output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17,
                              dynamo=False)
        # The weights go to a file of their own, which onnxruntime maps instead of copying.
        import onnx

        graph = onnx.load(str(tmp / "model.onnx"))
        onnx.save_model(graph, str(tmp / "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                        location="model.onnx.data", size_threshold=1024)
        shutil.copy(source / "tokenizer.json", tmp / "tokenizer.json")
        (tmp / "encoder.json").write_text(json.dumps({"pooling": pooling, "max_length": max_length, "dim": dim,
                                                      "source": str(source.resolve()),
                                                      "version": EMBEDDING_VERSION}), encoding="utf-8")
        try:
            os.replace(tmp, folder)
        except OSError:
            if not (folder / "encoder.json").is_file():  # another process finished first: theirs serves
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


class OnnxEmbedder:
    """MiniLM (or another sentence-transformers model) exported to ONNX: tokenizers, onnxruntime, numpy.
    Safe to call from several threads (``InferenceSession.run`` is; the tokenizer is guarded)."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        meta = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
        self.pooling, self.max_length = meta["pooling"], int(meta["max_length"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # Each batch pads to its own longest text, as sentence-transformers does (tokenizer.json fixes 128).
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0)
        self._model = str(folder / "model.onnx")
        self.session = self._session(batches=False)
        self._batches: Any = None  # the passages' session while ``batches`` lasts
        self._lock = threading.Lock()
        self.dim = int(meta["dim"])
        self._vocabulary = os.open(folder / VOCABULARY, os.O_RDONLY)  # held for the life of the process

    def _session(self, batches: bool) -> Any:
        """An onnxruntime session for questions (``batches`` False) or for many passages at once.

        Questions: no memory arena, so that a long-running server's memory follows the text at hand
        instead of its largest, and worker threads that sleep as soon as a run ends: spinning, they take
        a core from the search, fusion and composing that follow a question's embedding on two cores
        (dev set, three passes, alternating: a warm answer's p50 26-31 -> 16-19 ms). Passages (a build,
        an upload): the arena, and one thread a run, for runs side by side (``embed_documents``)."""
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = batches
        if batches:
            options.intra_op_num_threads = 1
        else:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return ort.InferenceSession(self._model, options, providers=["CPUExecutionProvider"])

    @contextlib.contextmanager
    def batches(self) -> Iterator[None]:
        """One passages' session for every ``embed_documents`` call inside: a build embeds in steps (for its
        progress bar and its checkpoints), and each session takes a tenth of a second to make."""
        self._batches = self._session(batches=True)
        try:
            yield
        finally:
            self._batches = None

    def _rows(self, ids: Any) -> Any:
        """The word-piece vectors of ``ids`` (any shape), each row read from the table on disk once."""
        import numpy as np

        unique, inverse = np.unique(ids, return_inverse=True)
        width = self.dim * 4
        rows = np.frombuffer(b"".join(os.pread(self._vocabulary, width, int(i) * width) for i in unique),
                             dtype="<f4").reshape(len(unique), self.dim)
        return rows[inverse.reshape(ids.shape)]

    def _encode(self, texts: list[str], session: Any = None) -> Any:
        import numpy as np

        with self._lock:
            encodings = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.asarray([e.type_ids for e in encodings], dtype=np.int64)
        feeds = {"inputs_embeds": self._rows(ids), "attention_mask": mask, "token_type_ids": types}
        hidden = (session or self.session).run(None, feeds)[0]
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        session = self._batches
        if session is None and len(texts) <= _FEW:
            return [self._encode([t])[0].tolist() for t in texts]
        # Each text run alone (no padding to compute), as many at once as there are cores, each run on one
        # thread: the same vectors as batches padded to their longest text on one session of two threads, in
        # less time, and much less when another program takes a core (README, Speed).
        from concurrent.futures import ThreadPoolExecutor

        from assistant.labelled import cores

        session = session or self._session(batches=True)
        with ThreadPoolExecutor(cores(), thread_name_prefix="embed") as pool:
            return [v.tolist() for v in pool.map(lambda t: self._encode([t], session)[0], texts)]

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()


# This many passages or fewer are embedded on the questions' session: a passages' session takes about as long
# to make as this many passages take to embed.
_FEW = 16


def _exported(model_path: str, index_dir: Path) -> Path:
    """The folder of ``model_path``'s ONNX export in this index folder, made now if there is none yet."""
    folder = encoder_folder(model_path, index_dir)
    if not (folder / "encoder.json").is_file():
        export_encoder(model_path, folder)
    return folder


def ensure_encoder(settings: Settings) -> Path:
    """The folder of the settings' ONNX encoder, exported now if this index folder has none yet."""
    return _exported(settings.model_path, settings.index_dir)


def prune_encoders(settings: Settings) -> None:
    """Remove exports of other models or versions, and exports a crash left half-written an hour ago."""
    import time

    keep = encoder_folder(settings.model_path, settings.index_dir)
    for folder in keep.parent.iterdir() if keep.parent.is_dir() else ():
        stale = folder.name.startswith(".export-") and time.time() - folder.stat().st_mtime > 3600
        if folder != keep and (stale or not folder.name.startswith(".")):
            shutil.rmtree(folder, ignore_errors=True)


@lru_cache(maxsize=4)
def load_embedder(model_path: str, index_dir: str) -> Embedder:
    """The encoder of ``model_path``, loaded once per process, exported first if this index folder has
    none yet (a replica with a fresh folder, or an index built before exports existed)."""
    return OnnxEmbedder(_exported(model_path, Path(index_dir)))


def embedder_for(settings: Settings) -> Embedder:
    """The one embedder of these settings: the same for building, questions, uploads and plans."""
    return load_embedder(settings.model_path, str(settings.index_dir))
