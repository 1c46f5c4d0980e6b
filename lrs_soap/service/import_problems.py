"""What every importer does with the problems it found: all of them, or nothing imported.

An importer checks every row before it writes anything, collecting ``(line, text)`` pairs;
if there is any, it raises one error listing them in line order (the first MAX_REPORTED),
and nothing is imported.
"""

from __future__ import annotations

MAX_REPORTED = 100


def refuse_if_any(problems: list[tuple[int, str]], error: type[Exception]) -> None:
    """Raise ``error`` listing ``problems`` (line, text) one a line, if there are any."""
    if not problems:
        return
    ordered = sorted(problems, key=lambda problem: problem[0])
    shown = [text for _, text in ordered[:MAX_REPORTED]]
    if len(ordered) > MAX_REPORTED:
        shown.append(f"... and {len(ordered) - MAX_REPORTED} more")
    raise error("nothing imported:\n" + "\n".join(shown))
