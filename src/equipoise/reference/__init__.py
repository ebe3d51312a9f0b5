"""The shared vocabulary every stage imports: codes, classes, names and the data files.

Readers (:mod:`equipoise.sources`), the coder (:mod:`equipoise.coding`), the store and the
analysis do not import each other; each imports this package for what they must agree on:

- :mod:`~equipoise.reference.data`: the one reader of the files under ``equipoise/data``;
- :mod:`~equipoise.reference.cameo`: the CAMEO code table (quad class, Goldstein, PLOVER);
- :mod:`~equipoise.reference.plover`: PLOVER event types, scores and the crosswalk to CAMEO;
- :mod:`~equipoise.reference.quads`: the four quad classes, their names and count columns;
- :mod:`~equipoise.reference.periods`: frequencies and event dates as day numbers;
- :mod:`~equipoise.reference.dates`: the range of dates accepted by default;
- :mod:`~equipoise.reference.countries`: state and bloc codes and their names;
- :mod:`~equipoise.reference.memberships`: which state belonged to which bloc, when;
- :mod:`~equipoise.reference.actors`: the actor gazetteer tables;
- :mod:`~equipoise.reference.numbers`: how a signed figure is written.
"""
