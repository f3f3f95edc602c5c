"""Questions are embedded by MiniLM's ONNX export: the same vectors as sentence-transformers, no torch.

The full comparison (every passage and every evaluation question) is ``evals/encoder.py``; here a
sample of both, against the real model and the real corpus.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.index.embedding import encoder_folder, export_encoder, load_embedder
from assistant.settings import ROOT, Settings
from tests.conftest import venv_env

HEAVY = ("torch", "sentence_transformers", "transformers", "langchain_huggingface")


def _sample_texts(settings: Settings) -> list[str]:
    from assistant.chat import Assistant

    chunks = Assistant(settings).reader.chunks
    questions = [json.loads(line)["question"] for line in
                 (ROOT / "evals" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    # Short and long passages (the longest are cut at 256 word pieces), and real questions.
    by_length = sorted(chunks, key=lambda c: len(c.embed_text))
    return [c.embed_text for c in by_length[:: max(1, len(by_length) // 40)]] + questions[:30] + ["", "a"]


def test_onnx_vectors_match_sentence_transformers(index_settings: Settings) -> None:
    from sentence_transformers import SentenceTransformer

    texts = _sample_texts(index_settings)
    ours = load_embedder(index_settings.model_path, str(index_settings.index_dir))
    reference = SentenceTransformer(index_settings.model_path, device="cpu", local_files_only=True)
    expected = reference.encode(texts, batch_size=16, normalize_embeddings=True)
    got = np.asarray(ours.embed_documents(texts))
    assert got.shape == expected.shape == (len(texts), 384)
    assert float((got * expected).sum(axis=1).min()) >= 0.9999
    # Run one at a time, side by side, each text gets the vector it gets in a batch padded to the longest.
    padded = np.concatenate([ours._encode(texts[at : at + 16], ours.session) for at in range(0, len(texts), 16)])
    assert np.allclose(got, padded, atol=1e-6)
    # A question alone gets the vector it gets in a batch: padding never leaks into the mean.
    assert np.allclose(ours.embed_query(texts[-3]), got[-3], atol=1e-5)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_the_build_stores_the_encoder_in_the_index_folder(index_settings: Settings) -> None:
    folder = encoder_folder(index_settings.model_path, index_settings.index_dir)
    assert folder.parent == index_settings.index_dir / "encoders"
    meta = json.loads((folder / "encoder.json").read_text())
    assert meta["pooling"] == "mean" and meta["max_length"] == 256
    assert (folder / "model.onnx.data").stat().st_size > 10_000_000 and (folder / "tokenizer.json").is_file()


def test_a_rebuild_removes_exports_of_other_models(tmp_path: Path) -> None:
    from assistant.index.build import build_index
    from tests.conftest import small_corpus

    settings = Settings(corpus_dir=small_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index",
                        data_dir=tmp_path / "data")
    old = settings.index_dir / "encoders" / "model-0123456789ab"
    old.mkdir(parents=True)
    (old / "encoder.json").write_text("{}")
    build_index(settings, progress=False)
    assert [p.name for p in (settings.index_dir / "encoders").iterdir()] == [
        encoder_folder(settings.model_path, settings.index_dir).name]


def test_a_model_folder_without_weights_gets_a_plain_sentence(tmp_path: Path) -> None:
    from assistant.errors import AssistantError

    try:
        export_encoder(str(tmp_path / "nowhere"), tmp_path / "out")
    except AssistantError as err:
        assert "ASSISTANT_EMBEDDING_MODEL" in str(err)
    else:
        raise AssertionError("a missing model must be a plain error")
    assert not (tmp_path / "out").exists()


def test_answering_in_a_fresh_process_never_imports_torch(index_settings: Settings) -> None:
    code = (
        "import json, sys\n"
        "from assistant.cli import main\n"
        "rc = main(['ask', 'What should I do if I think a colleague is taking money from a resident?'])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=venv_env(index_settings), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["rc"] == 0 and "[1]" in done.stdout
    assert report["heavy"] == []


def test_a_server_that_builds_its_index_first_never_holds_torch(tmp_path: Path) -> None:
    import time

    import httpx

    from tests.conftest import free_port, small_corpus

    settings = Settings(corpus_dir=small_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index",
                        data_dir=tmp_path / "data")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)], cwd=ROOT,
                            env=venv_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        while time.monotonic() - started < 240:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                reply = httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", timeout=60, json={
                    "model": "care-guide-assistant", "messages": [{"role": "user", "content": "What is compassion?"}]})
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not answer within 240 s of starting")
        assert reply.status_code == 200 and "[1]" in reply.json()["choices"][0]["message"]["content"]
        libraries = Path(f"/proc/{proc.pid}/maps").read_text()
        assert "onnxruntime" in libraries and "libtorch" not in libraries
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert encoder_folder(settings.model_path, settings.index_dir).is_dir()


def test_example_rows_are_kept_with_their_keys_and_a_new_version_replaces_the_old(tmp_path: Path) -> None:
    """The example files' shared rows (assistant/labelled.py) are kept with their texts' keys, so that a new
    process reads them rather than every line of every file; a new version of the files replaces the old rows,
    and a kept file that is unreadable is made again."""
    from assistant import labelled

    class Counting:  # the vectors' values are not what is tested here: which texts are embedded, and when
        def __init__(self) -> None:
            self.embedded: list[str] = []

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.embedded += texts
            return [[float(len(t)), 1.0] for t in texts]

    folder, cache = tmp_path / "data", tmp_path / "cache"
    folder.mkdir()
    (folder / "a_examples.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    (folder / "b_examples.jsonl").write_text('{"text": "two"}\n{"text": "three"}\n', encoding="utf-8")
    embedder = Counting()
    rows, vectors, _ = labelled.embedded(folder / "b_examples.jsonl", embedder, cache)
    assert [r["text"] for r in rows] == ["two", "three"] and np.asarray(vectors)[:, 0].tolist() == [3.0, 5.0]
    assert sorted(embedder.embedded) == ["one", "three", "two"]
    kept = list(cache.glob("example-rows-*"))
    assert len(kept) == 1 and kept[0].suffix == ".npz"

    labelled._SHARED.clear()  # as a new process: the rows are read back, nothing embedded or parsed for them
    keys, shared = labelled._shared(folder.resolve(), embedder, cache.resolve())
    assert len(keys) == 3 and shared.shape == (3, 2) and len(embedder.embedded) == 3

    (folder / "a_examples.jsonl").write_text('{"text": "one"}\n{"text": "four"}\n', encoding="utf-8")
    rows, vectors, _ = labelled.embedded(folder / "a_examples.jsonl", embedder, cache)
    assert np.asarray(vectors)[:, 0].tolist() == [3.0, 4.0] and embedder.embedded[-1:] == ["four"]
    now = [p.name for p in cache.glob("example-rows-*")]
    assert len(now) == 1 and now != [kept[0].name], "the old version's rows are gone"

    labelled._SHARED.clear()
    only = next(cache.glob("example-rows-*"))
    only.write_bytes(b"not an array")
    rows, vectors, _ = labelled.embedded(folder / "a_examples.jsonl", embedder, cache)
    assert np.asarray(vectors)[:, 0].tolist() == [3.0, 4.0] and len(embedder.embedded) == 4, "from the store"


def test_the_examples_product_in_two_halves_is_the_one_product_bit_for_bit() -> None:
    """``labelled.product`` multiplies the examples' halves on two threads: every row must come out as one
    product gives it, or a near tie in a vote could turn. In a process set up as the app's (one BLAS thread),
    with the sizes the examples have had and ones whose last rows do not fill a kernel's block."""
    script = (
        "from assistant.settings import configure_libraries\n"
        "configure_libraries()\n"
        "import numpy as np\n"
        "from assistant import labelled\n"
        "rng = np.random.default_rng(54)\n"
        "for n in (17546, 17426, 14556, 2049, 3001):\n"
        "    rows = rng.normal(size=(n, 384)).astype(np.float32)\n"
        "    rows /= np.linalg.norm(rows, axis=1, keepdims=True)\n"
        "    for _ in range(20):\n"
        "        v = rows[rng.integers(n)] + rng.normal(0, 0.05, 384).astype(np.float32)\n"
        "        assert np.array_equal(labelled.product(rows, v), rows @ v), n\n"
        "print('same')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env=venv_env())
    assert done.returncode == 0 and done.stdout.strip() == "same", done.stderr[-2000:]


def test_the_last_two_vectors_products_are_kept_and_shared_by_the_files(monkeypatch) -> None:
    """A question and its other reading are compared with every example file in turn: each vector's product with
    the shared rows is made once while it is one of the last two compared, and each file reads its own rows of it."""
    from assistant import labelled

    shared = np.arange(12, dtype=np.float32).reshape(4, 3)
    first, second = labelled.Rows(shared, np.arange(4)), labelled.Rows(shared, np.asarray([3, 1]))
    made: list[int] = []
    real = labelled.product
    monkeypatch.setattr(labelled, "product", lambda rows, vector: (made.append(1), real(rows, vector))[1])
    u, v, w = (np.asarray(x, dtype=np.float32) for x in ([1, 0, 0], [0, 1, 0], [0, 0, 1]))
    for rows, vector in ((first, u), (second, v), (first, u), (second, u), (first, v)):
        assert (rows @ vector).tolist() == (shared[rows.index] @ vector).tolist()
    assert len(made) == 2
    first @ w  # a third vector: u, the older of the two, goes
    first @ v
    assert len(made) == 3
    first @ u
    assert len(made) == 4


def test_the_word_tables_are_kept_beside_the_index_and_remade_when_spoilt(tmp_path: Path) -> None:
    """A new process reads the word tables from the index folder instead of importing wordfreq (most of a
    second of a server's first answer); a file cut short is made again, and the words read the same."""
    probe = ("import sys; from pathlib import Path; from assistant import english; "
             f"english.keep_in(Path({str(tmp_path)!r})); "
             "print(english.zipf('dignity'), english.zipf('well-being'), english.spelled('safeguarding'), "
             "english.spelled('zzqx'), 'wordfreq' in sys.modules)")

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
        return done.stdout.split()

    made = run()
    kept = tmp_path / "english.npz"
    assert kept.is_file() and made[-1] == "True"  # made from the libraries the first time
    read = run()
    assert read[:-1] == made[:-1] and read[-1] == "False"  # read back: wordfreq is never imported
    kept.write_bytes(kept.read_bytes()[:1000])  # cut short, as a full disk or a crash may leave it
    remade = run()
    assert remade == made and kept.stat().st_size > 1_000_000


def test_the_passages_holding_the_answered_questions_are_kept_for_the_next_process(index_settings: Settings) -> None:
    """A new process reads which passages hold each answered question's sentences from the file beside the example
    vectors (a third of a second of a server's warm-up), made for this build, uploads and examples; a file cut
    short is worked out again, to the same passages."""
    code = (
        "import hashlib, json\n"
        "from assistant.retrieve import answered\n"
        "real = answered.passages_holding\n"
        "made = []\n"
        "def counted(*a):\n"
        "    made.append(1)\n"
        "    return real(*a)\n"
        "answered.passages_holding = counted\n"
        "from assistant.chat import Assistant\n"
        "from assistant.settings import Settings\n"
        "a = Assistant(Settings())\n"
        "held = a.retriever.answered.holders(a.reader.snapshot)\n"
        "print(json.dumps({'made': len(made), 'held': hashlib.sha256(json.dumps(held).encode()).hexdigest(),"
        " 'any': sum(map(bool, held))}))\n"
    )

    def run() -> dict:
        done = subprocess.run([sys.executable, "-c", code], env=venv_env(index_settings), cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = run()
    kept = next(index_settings.index_dir.glob("encoders/*/answered-holders.json"))
    second = run()
    assert second["made"] == 0 and second["held"] == first["held"] and first["any"] > 1000
    kept.write_bytes(kept.read_bytes()[: len(kept.read_bytes()) // 2])  # cut short, as a crash may leave it
    third = run()
    assert third["made"] == 1 and third["held"] == first["held"]
    assert json.loads(kept.read_text())["holders"], "the file is whole again"
