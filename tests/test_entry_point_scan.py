"""The entry-point pre-scan agrees with importlib.metadata: it says "no plug-in" only when there is none."""

from __future__ import annotations

import importlib.metadata
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.engine.registry import ENTRY_POINT_GROUP, group_may_be_declared
from tests.conftest import chdir

DECLARES = f"[{ENTRY_POINT_GROUP}]\nacme = acme_rules\n"
OTHER_GROUP = "[console_scripts]\nacme = acme_rules:main\n"


def declared(group: str = ENTRY_POINT_GROUP) -> bool:
    return bool(importlib.metadata.entry_points(group=group))


@contextmanager
def only_on_path(*entries: Any, finders: Iterable[Any] = ()) -> Iterator[None]:
    """sys.path holding just entries (and sys.meta_path extra finders), so the real site does not answer."""
    importlib.invalidate_caches()
    with mock.patch.object(sys, "path", list(entries)), mock.patch.object(sys, "meta_path", [*sys.meta_path, *finders]):
        yield


def metadata_dir(site: Path, name: str, entry_points: str | bytes | None) -> Path:
    directory = site / name
    directory.mkdir(parents=True)
    (directory / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.partition('-')[0]}\n", encoding="utf-8")
    if isinstance(entry_points, str):
        (directory / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    elif isinstance(entry_points, bytes):
        (directory / "entry_points.txt").write_bytes(entry_points)
    return directory


def test_the_real_environment_agrees() -> None:
    groups = {entry.group for dist in importlib.metadata.distributions() for entry in dist.entry_points}
    assert groups, "the test environment has console scripts at least"
    assert all(group_may_be_declared(group) for group in groups)
    assert group_may_be_declared(ENTRY_POINT_GROUP) or not declared()
    assert not group_may_be_declared("entralint.no-such-group")


@pytest.mark.parametrize(
    "name",
    ["acme_rules-1.0.dist-info", "acme_rules-1.0.egg-info", "Acme_Rules-1.0.DIST-INFO", "acme_rules.Egg-Info"],
)
def test_metadata_directories_are_read(tmp_path: Path, name: str) -> None:
    metadata_dir(tmp_path, name, DECLARES)
    with only_on_path(str(tmp_path)):
        assert declared() and group_may_be_declared(ENTRY_POINT_GROUP)


@pytest.mark.parametrize(
    ("name", "entry_points"),
    [
        ("acme_rules-1.0.dist-info", OTHER_GROUP),
        ("acme_rules-1.0.dist-info", None),
        ("acme_rules-1.0.data", DECLARES),  # not a metadata directory
        ("acme_rules", DECLARES),
    ],
)
def test_no_declaration_means_no_plugin(tmp_path: Path, name: str, entry_points: str | None) -> None:
    metadata_dir(tmp_path, name, entry_points)
    with only_on_path(str(tmp_path), str(tmp_path / "missing"), "__editable__.acme.__path_hook__"):
        assert not declared() and not group_may_be_declared(ENTRY_POINT_GROUP)


def test_a_mention_that_declares_nothing_defers_to_importlib(tmp_path: Path) -> None:
    metadata_dir(tmp_path, "acme_rules-1.0.dist-info", f"# see {ENTRY_POINT_GROUP}\n{OTHER_GROUP}")
    with only_on_path(str(tmp_path)):
        assert group_may_be_declared(ENTRY_POINT_GROUP) and not declared()


def test_unreadable_entry_points_are_ignored_as_importlib_ignores_them(tmp_path: Path) -> None:
    (tmp_path / "file_only-1.0.egg-info").write_text(DECLARES, encoding="utf-8")  # a legacy egg-info file
    (metadata_dir(tmp_path, "as_directory-1.0.dist-info", None) / "entry_points.txt").mkdir()
    with only_on_path(str(tmp_path)):
        assert not declared() and not group_may_be_declared(ENTRY_POINT_GROUP)


def test_undecodable_entry_points_defer_to_importlib(tmp_path: Path) -> None:
    metadata_dir(tmp_path, "acme_rules-1.0.dist-info", b"[console_scripts]\nacme = \xff\n")
    with only_on_path(str(tmp_path)):
        assert group_may_be_declared(ENTRY_POINT_GROUP)
        with pytest.raises(UnicodeDecodeError):
            declared()


def test_egg_directories_are_read(tmp_path: Path) -> None:
    egg = tmp_path / "acme_rules-1.0-py3.11.egg"
    metadata_dir(egg, "EGG-INFO", DECLARES)
    with only_on_path(str(egg)):
        assert declared() and group_may_be_declared(ENTRY_POINT_GROUP)
    with only_on_path(str(tmp_path)):  # EGG-INFO counts only inside an .egg
        assert not declared() and not group_may_be_declared(ENTRY_POINT_GROUP)


def test_zip_files_on_the_path_defer_to_importlib(tmp_path: Path) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("acme_rules-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: acme_rules\n")
        handle.writestr("acme_rules-1.0.dist-info/entry_points.txt", DECLARES)
    with only_on_path(str(archive)):
        assert declared() and group_may_be_declared(ENTRY_POINT_GROUP)


def test_the_current_directory_is_searched_for_an_empty_entry(tmp_path: Path) -> None:
    metadata_dir(tmp_path, "acme_rules-1.0.dist-info", DECLARES)
    with chdir(tmp_path), only_on_path(""):
        assert declared() and group_may_be_declared(ENTRY_POINT_GROUP)


def test_path_objects_on_sys_path_defer_to_importlib(tmp_path: Path) -> None:
    metadata_dir(tmp_path, "acme_rules-1.0.dist-info", DECLARES)
    with only_on_path(tmp_path):
        assert declared() and group_may_be_declared(ENTRY_POINT_GROUP)


def test_other_finders_of_distributions_defer_to_importlib(tmp_path: Path) -> None:
    elsewhere = metadata_dir(tmp_path, "acme_rules-1.0.dist-info", DECLARES)

    class Finder:
        def find_distributions(self, context: Any = None) -> list[importlib.metadata.Distribution]:
            return [importlib.metadata.PathDistribution(elsewhere)]

    with only_on_path(str(tmp_path / "empty"), finders=[Finder()]):
        assert declared() and group_may_be_declared(ENTRY_POINT_GROUP)


NAMES = st.sampled_from(
    ["a-1.0.dist-info", "B-2.DIST-INFO", "c.egg-info", "d-1.0.Egg-Info", "EGG-INFO", "egg-info", "e.data", "f"]
)
CONTENTS = st.sampled_from(
    [
        None,
        DECLARES,
        OTHER_GROUP,
        f"[ {ENTRY_POINT_GROUP} ]\nacme = acme_rules\n",
        f"[[{ENTRY_POINT_GROUP}]]\nacme = acme_rules\n",
        f"# {ENTRY_POINT_GROUP}\n",
        f"[{ENTRY_POINT_GROUP.upper()}]\nacme = acme_rules\n",
        "",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    layout=st.dictionaries(NAMES, CONTENTS, max_size=5),
    root=st.sampled_from(["site-packages", "acme-1.0.egg", "ACME.EGG"]),
)
def test_generated_sites_agree(layout: dict[str, str | None], root: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / root
        site.mkdir()
        for name, content in layout.items():
            metadata_dir(site, name, content)
        with only_on_path(str(site)):
            found, scanned = declared(), group_may_be_declared(ENTRY_POINT_GROUP)
    assert scanned or not found, "importlib.metadata found a plug-in the scan missed"
    if not any(content and ENTRY_POINT_GROUP in content for content in layout.values()):
        assert not scanned
