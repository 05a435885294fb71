"""The ``feeds`` command: ``check [PATH]``, ``build OUTDIR``, ``history ID``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from feeds.loader import load_catalog
from feeds.problems import CatalogError
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
