"""Stage: write the generated pages beside the hand-written ones and run MkDocs.

Generated pages go to a work folder (never into docs/, never committed) together
with a copy of docs/ and an MkDocs config derived from the repository's
mkdocs.yml. MkDocs builds into a fresh folder that replaces the site only when
the build succeeded, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from builder.export import to_json
from builder.locale_data import lunr_language
from builder.model import Dossier
from builder.pdf import PDF_NAME
from builder.render import nav, render_pages
from builder.timeline import timelinejs

TIMELINE_JSON = "timeline.json"  # the timeline for TimelineJS

OVERRIDES = "overrides"  # docs/overrides: theme templates, not pages


def handwritten_pages(docs_dir: Path) -> list[str]:
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")
                  if not p.relative_to(docs_dir).as_posix().startswith(OVERRIDES + "/"))


def write_if_changed(path: Path, content: str) -> bool:
    """Write only on change, so `serve` reloads just what changed."""
    data = content.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def stage(dossier: Dossier, repo: Path, work: Path, briefing: bytes | None = None) -> Path:
    """Fill `work/docs` with docs/, the generated pages and, if given, the PDF
    briefing (so the site swap includes it); write `work/mkdocs.yml`."""
    docs_src = repo / "docs"
    docs_out = work / "docs"
    pages = render_pages(dossier, with_pdf=briefing is not None)
    files: dict[str, bytes] = {}
    for src in sorted(docs_src.rglob("*")):
        rel = src.relative_to(docs_src).as_posix()
        if src.is_file() and not rel.startswith(OVERRIDES + "/"):
            files[rel] = src.read_bytes()
    for rel, text in pages.items():
        files[rel] = text.encode("utf-8")
    files["dossier.json"] = to_json(dossier).encode("utf-8")
    files[TIMELINE_JSON] = timelinejs_json(dossier).encode("utf-8")
    if briefing is not None:
        files[PDF_NAME] = briefing
    for rel, data in files.items():
        target = docs_out / rel
        if not (target.is_file() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    if docs_out.is_dir():
        for existing in sorted(docs_out.rglob("*"), reverse=True):
            rel = existing.relative_to(docs_out).as_posix()
            if existing.is_file() and rel not in files:
                existing.unlink()
            elif existing.is_dir() and not any(existing.iterdir()):
                existing.rmdir()
    config = mkdocs_config(dossier, repo, docs_out, pages, handwritten_pages(docs_src))
    write_if_changed(work / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return work / "mkdocs.yml"


def timelinejs_json(dossier: Dossier) -> str:
    titles = {a.id: a.title.value or a.file for a in dossier.articles}
    data = timelinejs(dossier.title, dossier.timeline, titles)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def mkdocs_config(dossier: Dossier, repo: Path, docs_out: Path, pages: dict[str, str], handwritten: list[str]) -> dict:
    with open(repo / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config["site_name"] = html.escape(dossier.title)  # themes print it unescaped
    config["docs_dir"] = str(docs_out.resolve())
    theme = config.setdefault("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((repo / theme["custom_dir"]).resolve())
    languages = sorted({lunr_language(a.language.value) for a in dossier.articles if a.language.value} - {None})
    search_languages = ["en"] + [code for code in languages if code != "en"]
    plugins = []
    for plugin in config.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "search":
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            options["lang"] = search_languages
            plugin = {"search": options}
        plugins.append(plugin)
    config["plugins"] = plugins
    config["nav"] = nav(dossier, pages, handwritten)
    return config


def mkdocs_build(config_file: Path, site_dir: Path) -> None:
    """Build into a temporary sibling, then swap it in place of `site_dir`."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config_file),
             "-d", str(fresh)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("mkdocs build failed:\n" + (result.stderr or result.stdout))
        old = None
        if site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
            os.replace(site_dir, old / "site")
        os.replace(fresh, site_dir)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
