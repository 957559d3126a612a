"""The reference table of every prelude name, for docs/prelude.md: `python -m livecode.reference`.

It builds a session with no engine (a manual clock: nothing boots, nothing plays) and prints
`livecode.prelude.reference_markdown` of its namespace, whose docstrings give each name's summary
and example.

>>> reference_text().splitlines()[:2]
['| name | kind | summary | example |', '| --- | --- | --- | --- |']
"""

from __future__ import annotations

from livecode.clock import ManualClock
from livecode.prelude import reference_markdown
from livecode.session import Session

__all__ = ["reference_text", "main"]


def reference_text() -> str:
    """The markdown table of a fresh session's namespace."""
    session = Session(clock=ManualClock())
    try:
        return reference_markdown(session.namespace)
    finally:
        session.close()


def main() -> None:
    """Print the table (`python -m livecode.reference`)."""
    print(reference_text(), end="")


if __name__ == "__main__":
    main()
