"""The ``feeds`` command: ``check [PATH]``, ``build OUTDIR``, ``history ID``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from feeds.app import open_history
from feeds.export import export
from feeds.history import HistoryError, SqliteHistory, describe
from feeds.loader import load_catalog
from feeds.problems import CatalogError
from feeds.publisher import Publisher
from feeds.renderers import RENDERERS
from feeds.settings import SettingError, Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingError as error:
        print(f"feeds: {error}", file=sys.stderr)
        return 2
    return args.run(args, settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feeds", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate a catalogue and print every problem")
    check.add_argument("path", nargs="?", help="the catalogue (default: FEEDS_EVENTS_FILE)")
    check.set_defaults(run=_check)
    build = commands.add_parser("build", help="write every document to a folder for static hosting")
    build.add_argument("outdir", help="the folder to (re)create")
    build.set_defaults(run=_build)
    history = commands.add_parser("history", help="list the revisions of one premiere")
    history.add_argument("id", help="the premiere's id")
    history.set_defaults(run=_history)
    return parser


def _check(args: argparse.Namespace, settings: Settings) -> int:
    path = args.path or settings.events_file
    try:
        loaded = load_catalog(path, settings.max_bytes)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    catalog = loaded.catalog
    print(
        f"{path}: OK: {_count(len(catalog.shows), 'show')}, "
        f"{_count(len(catalog.premieres), 'premiere')}, {len(catalog.news)} news"
    )
    return 0


def _build(args: argparse.Namespace, settings: Settings) -> int:
    history = _history_store(settings)
    if history is None:
        return 1
    publisher = Publisher(settings, RENDERERS, history)
    publisher.refresh(force=True)
    state = publisher.state
    if state.snapshot is None or state.problems:
        print("\n".join(str(p) for p in state.problems), file=sys.stderr)
        return 1
    try:
        written = export(state.snapshot, Path(args.outdir))
    except OSError as error:
        print(
            f"feeds: cannot write {args.outdir}: {error}; the old site is unchanged.",
            file=sys.stderr,
        )
        return 1
    print(
        f"{args.outdir}: wrote {len(written)} documents and their .gz, as of "
        f"{state.snapshot.edition.moment.isoformat()}"
    )
    return 0


def _history(args: argparse.Namespace, settings: Settings) -> int:
    history = _history_store(settings)
    if history is None:
        return 1
    try:
        revisions = history.revisions().get(args.id)
    except HistoryError as error:
        print(f"feeds: {error}", file=sys.stderr)
        return 1
    if not revisions:
        print(f"feeds: no history for premiere '{args.id}' in {settings.data_dir}", file=sys.stderr)
        return 1
    print(args.id)
    for line in describe(revisions):
        print(f"  {line}")
    return 0


def _history_store(settings: Settings) -> SqliteHistory | None:
    """The revision store, or ``None`` after saying on stderr why it cannot be opened."""
    try:
        return open_history(settings)
    except HistoryError as error:
        print(f"feeds: {error}", file=sys.stderr)
        return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
