"""MkDocs' work per page, kept between builds: a rebuild after one audit renders again only the pages it changed.

Two steps of an MkDocs build cost most of its time and depend on one page each (issue 13):

- ``Page.render``: the page's Markdown to HTML, with its table of contents, title and anchors; it
  depends on the Markdown (after the plugins' ``on_page_markdown``: the tags plugin), the page's own
  file, the Markdown settings of mkdocs.yml, and the other files its links name (looked up in
  MkDocs' ``Files``);
- the search plugin's ``add_entry_from_context``: the page's HTML cut into the search index's
  sections; it depends on the HTML, the table of contents, the page's address, title and metadata.

Within ``caching(folder, config)`` both are wrapped: each result is kept under the SHA-256 of all
it depends on, and taken from the cache on the next build when those are the same. A render also
records every file its links looked up and what it found (address, excluded or not, or nothing);
the cached render is used only when every lookup finds the same now. A render that logged
anything at WARNING or above is not kept, so a warning (``--strict``: a failure) is said on every
build. Everything else MkDocs does (the navigation, the theme's templates, the tags pages, the
search index itself, the sitemap) runs every build as before, so the site is the same bytes as a
build from nothing (tests/cli/test_build_incremental.py).

What else invalidates it: the key holds this module's code, ehqa's version, the versions of MkDocs,
Markdown, PyMdown Extensions and Material, and the bytes of mkdocs.yml. Templates, qa.yaml and the
schemas reach a page only through its Markdown, which is in the key. The file is plain JSON with an
HMAC under the user's cache key (``load.build_cache``): a planted or damaged cache is a miss, never
an error, and the leak scan reads every file of every build whatever the cache gave.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

from ehqa import __version__
from ehqa.atomic import write_atomic_bytes
from ehqa.load.build_cache import MAX_SEGMENT_BYTES, mac_of

log = logging.getLogger(__name__)

FORMAT = "ehqa.render-cache/1"
FILE = "render.json"
_PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material")


def _versions() -> str:
    found = []
    for name in _PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ",".join(found)


def _stamp(config, config_file: Path | None) -> str:
    """What every cached result depends on besides its page."""
    digest = hashlib.sha256(f"{FORMAT}/{__version__}/{_versions()}".encode())
    digest.update(Path(__file__).read_bytes())
    if config_file is not None and config_file.is_file():
        digest.update(config_file.read_bytes())
    settings = [
        config["markdown_extensions"],
        config["mdx_configs"],
        config["use_directory_urls"],
        config["validation"],
    ]
    digest.update(json.dumps(settings, sort_keys=True, default=repr).encode("utf-8"))
    return digest.hexdigest()


def _key(stamp: str, *parts: Any) -> str:
    return hashlib.sha256(json.dumps([stamp, *parts], sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _found(file) -> list | None:
    """What a link's lookup found, as much as the render uses of it."""
    return None if file is None else [file.src_uri, file.url, bool(file.inclusion.is_excluded())]


def _toc(items) -> list:
    return [{"name": i.title, "id": i.id, "level": i.level, "children": _toc(i.children)} for i in items]


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.seen += 1


class RenderCache:
    """The kept renders and search entries; ``folder`` None keeps nothing (every page rendered)."""

    def __init__(self, folder: Path | None, stamp: str) -> None:
        self.path = folder / FILE if folder is not None else None
        self.stamp = stamp
        self.old: dict[str, Any] = self._read()
        self.new: dict[str, Any] = {}
        self.hits = self.misses = 0

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            if not self.path.is_file() or self.path.stat().st_size > MAX_SEGMENT_BYTES:
                return {}
            mac, _, payload = self.path.read_bytes().partition(b"\n")
            if mac != mac_of(payload).encode("ascii"):
                return {}
            saved = json.loads(payload)
            if saved.get("format") != FORMAT or saved.get("stamp") != self.stamp:
                return {}
            entries = saved.get("entries")
            return entries if isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - whatever a damaged cache does, it is only a miss
            log.info("the render cache %s could not be read; every page is rendered again", self.path)
            return {}

    def take(self, key: str) -> Any:
        entry = self.old.get(key)
        if entry is not None:
            self.new[key] = entry
        return entry

    def keep(self, key: str, entry: Any) -> None:
        self.new[key] = entry

    def save(self) -> None:
        """Keep what this build used (so the file never grows past one site); a failure is a slower build."""
        if self.path is None or self.new == self.old:
            return
        payload = json.dumps(
            {"format": FORMAT, "stamp": self.stamp, "entries": self.new}, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")  # key order kept: the search index keeps it
        try:
            write_atomic_bytes(self.path, mac_of(payload).encode("ascii") + b"\n" + payload, sync=False)
        except OSError as exc:
            log.warning("could not write the render cache %s: %s", self.path, exc)


@contextmanager
def caching(folder: Path | None, config, config_file: Path | None = None) -> Iterator[RenderCache]:
    """Within: ``Page.render`` and the search index's ``add_entry_from_context`` use the cache in
    ``folder``; it is saved when the block ends without an exception."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    cache = RenderCache(folder, _stamp(config, config_file))
    render, add_entry = Page.render, SearchIndex.add_entry_from_context

    def cached_render(page, config, files) -> None:
        own = page.file
        key = _key(cache.stamp, "render", own.src_uri, own.url, bool(own.inclusion.is_excluded()), page.markdown)
        entry = cache.take(key)
        if entry is not None and all(_found(files.get_file_from_path(uri)) == seen for uri, seen in entry["lookups"]):
            cache.hits += 1
            _apply(page, entry, files)
            return
        cache.misses += 1
        lookups: dict[str, Any] = {}
        lookup = files.get_file_from_path

        def spy(path: str):
            found = lookup(path)
            lookups[path] = _found(found)
            return found

        warnings = _Warnings()
        loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
        for logger in loggers:
            logger.addHandler(warnings)
        files.get_file_from_path = spy  # this instance only, for this render
        try:
            render(page, config, files)
        finally:
            del files.get_file_from_path
            for logger in loggers:
                logger.removeHandler(warnings)
        if not warnings.seen:
            cache.keep(
                key,
                {
                    "content": page.content,
                    "toc": _toc(page.toc.items),
                    "title": page._title_from_render,
                    "anchors": sorted(page.present_anchor_ids or ()),
                    "lookups": sorted(lookups.items()),
                    "links": None
                    if page.links_to_anchors is None
                    else {f.src_uri: links for f, links in page.links_to_anchors.items()},
                },
            )

    def cached_add_entry(index, page) -> None:
        key = _key(
            cache.stamp, "search", index.config, page.url, page.title, page.meta, _toc(page.toc.items), page.content
        )
        entries = cache.take(key)
        if entries is not None:
            index.entries.extend(json.loads(json.dumps(entries)))  # copies: the index may change them
            return
        before = len(index.entries)
        add_entry(index, page)
        cache.keep(key, json.loads(json.dumps(index.entries[before:], default=str)))

    Page.render, SearchIndex.add_entry_from_context = cached_render, cached_add_entry
    try:
        yield cache
        cache.save()
    finally:
        Page.render, SearchIndex.add_entry_from_context = render, add_entry


def _apply(page, entry: dict, files) -> None:
    """Set on ``page`` what ``Page.render`` would have set."""
    from mkdocs.structure.pages import log as pages_log
    from mkdocs.structure.toc import get_toc

    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    if pages_log.getEffectiveLevel() > logging.DEBUG:
        links = entry["links"] or {}
        page.links_to_anchors = {
            files.get_file_from_path(uri) if uri != page.file.src_uri else page.file: anchors
            for uri, anchors in links.items()
        }
