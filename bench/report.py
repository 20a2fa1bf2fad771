"""Put the latest benchmark table into docs/performance.md, between markers, keeping the prose around it."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_report"]

START = "<!-- bench/run.py writes from here -->"
END = "<!-- bench/run.py writes up to here -->"


def write_report(path: Path, table: str, machine: list[str], *, smoke: bool) -> None:
    note = "Smoke run (tiny sizes, one run each): the ratios mean nothing.\n\n" if smoke else ""
    block = f"{START}\n{note}" + "\n".join(machine) + "\n\n" + table + END
    text = path.read_text("utf-8") if path.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
