"""``python -m equipoise.outputs.cli``: the ``equipoise`` program."""

from equipoise.outputs.cli import main

main()
