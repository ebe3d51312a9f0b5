"""The ``equipoise`` command line.

One module a group of commands: documents in (:mod:`.documents`: ingest, collect), coding
(:mod:`.coding`), event datasets in (:mod:`.datasets`: import, fetch), the analysis
(:mod:`.analysis`: align, events, un-position, report), judgements (:mod:`.judging`), the
demo (:mod:`.demonstration`), the learned layer (:mod:`.evaluation`: train, evaluate),
the dashboard (:mod:`.serving`) and the store (:mod:`.stores`: stats), on the command group
(:mod:`.group`) and the options they share (:mod:`.options`). The commands are added to
``app`` here, in the order ``equipoise --help`` lists them.
"""

from __future__ import annotations

from equipoise.outputs.cli.analysis import align, events, report, un_position
from equipoise.outputs.cli.coding import code
from equipoise.outputs.cli.datasets import fetch_app, import_
from equipoise.outputs.cli.datasets import fetch_gdelt as fetch_gdelt
from equipoise.outputs.cli.demonstration import demo
from equipoise.outputs.cli.documents import collect, ingest
from equipoise.outputs.cli.evaluation import evaluate, train
from equipoise.outputs.cli.group import EXIT_INTERNAL_ERROR, EXIT_USER_ERROR, app
from equipoise.outputs.cli.group import console as console
from equipoise.outputs.cli.group import out as out
from equipoise.outputs.cli.judging import judge, judgements
from equipoise.outputs.cli.options import BackgroundOption as BackgroundOption
from equipoise.outputs.cli.options import BootOption as BootOption
from equipoise.outputs.cli.options import ChangeOption as ChangeOption
from equipoise.outputs.cli.options import CiOption as CiOption
from equipoise.outputs.cli.options import DbOption as DbOption
from equipoise.outputs.cli.options import DirectionOption as DirectionOption
from equipoise.outputs.cli.options import EarliestOption as EarliestOption
from equipoise.outputs.cli.options import EventsOption as EventsOption
from equipoise.outputs.cli.options import FocalOption as FocalOption
from equipoise.outputs.cli.options import FocalsOption as FocalsOption
from equipoise.outputs.cli.options import FreqOption as FreqOption
from equipoise.outputs.cli.options import FromOption as FromOption
from equipoise.outputs.cli.options import IdealPointsOption as IdealPointsOption
from equipoise.outputs.cli.options import IntervalOption as IntervalOption
from equipoise.outputs.cli.options import LatestOption as LatestOption
from equipoise.outputs.cli.options import LevelOption as LevelOption
from equipoise.outputs.cli.options import MinEventsOption as MinEventsOption
from equipoise.outputs.cli.options import ModelOption as ModelOption
from equipoise.outputs.cli.options import OverlapOption as OverlapOption
from equipoise.outputs.cli.options import PolesOption as PolesOption
from equipoise.outputs.cli.options import RollCallsOption as RollCallsOption
from equipoise.outputs.cli.options import RulesOnlyOption as RulesOnlyOption
from equipoise.outputs.cli.options import SalienceOption as SalienceOption
from equipoise.outputs.cli.options import ToOption as ToOption
from equipoise.outputs.cli.options import UnIssueOption as UnIssueOption
from equipoise.outputs.cli.options import UnIssuesOption as UnIssuesOption
from equipoise.outputs.cli.options import UnMeasureOption as UnMeasureOption
from equipoise.outputs.cli.options import VotesOption as VotesOption
from equipoise.outputs.cli.options import WeightOption as WeightOption
from equipoise.outputs.cli.serving import serve
from equipoise.outputs.cli.stores import stats

__all__ = ["EXIT_INTERNAL_ERROR", "EXIT_USER_ERROR", "app", "main"]

# The commands, in the order `equipoise --help` lists them.
_COMMANDS = (
    ("ingest", ingest), ("code", code), ("collect", collect), ("train", train),
    ("align", align), ("events", events), ("judge", judge), ("judgements", judgements),
    ("un-position", un_position), ("report", report), ("demo", demo), ("stats", stats),
    ("evaluate", evaluate), ("serve", serve), ("import", import_),
)
for _name, _command in _COMMANDS:
    app.command(_name)(_command)
app.add_typer(fetch_app, name="fetch")


def main() -> None:
    """The ``equipoise`` program: errors are reported by :class:`.group._Commands`."""
    app()

