import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.pipeline import build_dossier

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"
OTHER_EVENT = Path(__file__).parent / "fixtures" / "other_event"
TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="session")
def seed_dossier():
    return build_dossier(CORPUS, TODAY)


@pytest.fixture(scope="session")
def other_dossier():
    return build_dossier(OTHER_EVENT, TODAY)


def article(dossier, name):
    """The article whose file name contains `name`."""
    (found,) = [a for a in dossier.articles if name in a.file]
    return found


def paragraph(art, startswith):
    (found,) = [p for p in art.paragraphs if p.text.startswith(startswith)]
    return found


def build_site(corpus: Path, out: Path, *extra: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """`python -m builder build` of `corpus` into out/site (work folder out/work), reproducibly."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "builder", "build", "--corpus", str(corpus),
                           "--site", str(out / "site"), "--work", str(out / "work"), *extra],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
