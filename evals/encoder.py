"""The ONNX encoder against sentence-transformers, on every passage and every evaluation question.

``python evals/encoder.py`` prints the lowest cosine similarity between the two models' vectors and
the seconds each took for the same texts, and writes ``evals/results/encoder-<commit>.json``. The
assistant embeds with the ONNX export (``assistant/index/embedding.py``); sentence-transformers is
the reference it must match (cosine >= 0.9999).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.settings import Settings, configure_libraries  # noqa: E402

SETS = ("dev", "own", "fresh", "blind", "heldout", "emergencies", "off_topic")


def questions() -> list[str]:
    found = []
    for name in SETS:
        path = ROOT / "evals" / f"{name}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else []:
            if line.strip():
                row = json.loads(line)
                found.append(row.get("question") or row.get("message") or "")
    return found


def main() -> int:
    import numpy as np

    configure_libraries()
    from sentence_transformers import SentenceTransformer

    from assistant.evaluate import _commit
    from assistant.index.embedding import embedder_for
    from assistant.ingest.corpus import load_corpus

    settings = Settings()
    ours = embedder_for(settings)
    reference = SentenceTransformer(settings.model_path, device="cpu", local_files_only=True)
    groups = {"passages": [c.embed_text for c in load_corpus(settings.corpus_dir).chunks], "questions": questions()}
    result: dict = {"commit": _commit(), "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "groups": {}}
    for name, texts in groups.items():
        started = time.perf_counter()
        got = np.asarray(ours.embed_documents(texts))
        onnx_s = time.perf_counter() - started
        started = time.perf_counter()
        expected = reference.encode(texts, batch_size=settings.embed_batch_size, normalize_embeddings=True)
        st_s = time.perf_counter() - started
        cosine = (got * expected).sum(axis=1)
        result["groups"][name] = {"texts": len(texts), "min_cosine": float(cosine.min()),
                                  "mean_cosine": float(cosine.mean()), "onnx_s": round(onnx_s, 2),
                                  "sentence_transformers_s": round(st_s, 2)}
        print(f"{name:<10} {len(texts):>5} texts  min cosine {cosine.min():.7f}  onnx {onnx_s:.2f} s  "
              f"sentence-transformers {st_s:.2f} s")
    out = ROOT / "evals" / "results" / f"encoder-{result['commit'][:10]}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"Written to {out}", file=sys.stderr)
    return 0 if all(g["min_cosine"] >= 0.9999 for g in result["groups"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
