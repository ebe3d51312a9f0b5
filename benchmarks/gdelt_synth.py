"""Synthetic GDELT event files: well-formed rows with realistic codes, for measuring imports.

``write_gdelt(path, rows, version=1, seed=7)`` writes a tab-separated export file in the
layout of GDELT 1.0 daily files (58 columns) or GDELT 2.0 (61 columns, ADM2 codes, a
DATEADDED timestamp). The rows are shaped like the real files:

* actors are states (CAMEO country codes, a few of CAMEO's own such as ROM), known groups
  (NATO, EEC, UNO...), regions (EUR, AFR) or sectors with no country (police, companies), with
  type codes, so about a third of the rows are between two different states or blocs;
* event codes come from the package CAMEO table with its root, quad class and Goldstein
  weight; NumMentions, NumSources, NumArticles and AvgTone vary as in GDELT (mostly small
  counts, a long tail);
* geographies are filled like GDELT's (type, full name, FIPS country, ADM1, lat/long,
  feature id), and each row has a source URL.

Rows are drawn from a pool of a few thousand distinct bodies with running event ids and
dates, so a file of millions of rows is written in seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from equipoise.reference.cameo import cameo_table

# (CAMEO country code, name, FIPS code, capital, lat, long): CAMEO codes are ISO3 except ROM.
_STATES = (
    ("USA", "UNITED STATES", "US", "Washington, District of Columbia, United States", 38.8951,
     -77.0364),
    ("RUS", "RUSSIA", "RS", "Moscow, Moskva, Russia", 55.7522, 37.6156),
    ("CHN", "CHINA", "CH", "Beijing, Beijing, China", 39.9289, 116.388),
    ("GBR", "UNITED KINGDOM", "UK", "London, London, City of, United Kingdom", 51.5, -0.1167),
    ("FRA", "FRANCE", "FR", "Paris, Ile-de-France, France", 48.8667, 2.3333),
    ("DEU", "GERMANY", "GM", "Berlin, Berlin, Germany", 52.5167, 13.4),
    ("TUR", "TURKEY", "TU", "Ankara, Ankara, Turkey", 39.9272, 32.8644),
    ("IRN", "IRAN", "IR", "Tehran, Tehran, Iran", 35.75, 51.5148),
    ("AZE", "AZERBAIJAN", "AJ", "Baku, Baki, Azerbaijan", 40.3953, 49.8822),
    ("ARM", "ARMENIA", "AM", "Yerevan, Yerevan, Armenia", 40.1811, 44.5136),
    ("GEO", "GEORGIA", "GG", "Tbilisi, Tbilisi, Georgia", 41.725, 44.7908),
    ("UKR", "UKRAINE", "UP", "Kiev, Kyyiv, Misto, Ukraine", 50.4333, 30.5167),
    ("ISR", "ISRAEL", "IS", "Jerusalem, Israel (general), Israel", 31.7833, 35.2167),
    ("IND", "INDIA", "IN", "New Delhi, Delhi, India", 28.6, 77.2),
    ("PAK", "PAKISTAN", "PK", "Islamabad, Islamabad, Pakistan", 33.7, 73.1667),
    ("JPN", "JAPAN", "JA", "Tokyo, Tokyo, Japan", 35.685, 139.751),
    ("KOR", "SOUTH KOREA", "KS", "Seoul, Seoul-t'ukpyolsi, South Korea", 37.5664, 127.0),
    ("BRA", "BRAZIL", "BR", "Brasilia, Distrito Federal, Brazil", -15.7833, -47.9167),
    ("EGY", "EGYPT", "EG", "Cairo, Al Qahirah, Egypt", 30.05, 31.25),
    ("SAU", "SAUDI ARABIA", "SA", "Riyadh, Ar Riyad, Saudi Arabia", 24.6408, 46.7728),
    ("SYR", "SYRIA", "SY", "Damascus, Dimashq, Syria", 33.5, 36.3),
    ("ROM", "ROMANIA", "RO", "Bucharest, Bucuresti, Romania", 44.4333, 26.1),
    ("MDA", "MOLDOVA", "MD", "Chisinau, Chisinau, Moldova", 47.0056, 28.8575),
    ("KAZ", "KAZAKHSTAN", "KZ", "Astana, Astana, Kazakhstan", 51.1811, 71.4278),
)  # fmt: skip
# Rough shares of GDELT's activity: the great powers appear far more often.
_STATE_WEIGHTS = (20, 12, 10, 6, 5, 5, 4, 4, 2, 2, 2, 5, 4, 4, 3, 3, 2, 2, 2, 2, 3, 1, 1, 1)
_GROUPS = (("NAT", "NATO"), ("EEC", "EUROPEAN UNION"), ("UNO", "UNITED NATIONS"),
           ("ASN", "ASEAN"), ("AFU", "AFRICAN UNION"))  # fmt: skip
_REGIONS = (("EUR", "EUROPE"), ("AFR", "AFRICA"), ("MEA", "MIDDLE EAST"), ("ASA", "ASIA"))
_SECTORS = (("COP", "POLICE"), ("BUS", "COMPANY"), ("CVL", "CITIZEN"), ("MED", "REPORTER"),
            ("GOV", "GOVERNMENT"), ("OPP", "OPPOSITION"), ("EDU", "STUDENT"))  # fmt: skip
_TYPES = ("GOV", "GOV", "GOV", "MIL", "", "", "BUS", "MED", "COP", "OPP", "LEG", "REB")
_SITES = ("www.example-news.com", "news.example.org", "www.daily-example.net",
          "example-times.co.uk", "www.example.az", "tass.example.ru")  # fmt: skip


def _actor(rng: random.Random) -> list[str]:
    """The ten actor columns: Code, Name, CountryCode, KnownGroupCode, EthnicCode,
    Religion1Code, Religion2Code, Type1Code, Type2Code, Type3Code."""
    kind = rng.random()
    if kind < 0.12:  # no actor at all
        return [""] * 10
    if kind < 0.72:
        country, name, *_ = rng.choices(_STATES, _STATE_WEIGHTS)[0]
        type1 = rng.choice(_TYPES)
        religion = rng.choice(("", "", "", "", "MOS", "CHR"))
        return [country + type1, name, country, "", "", religion, "", type1, "", ""]
    if kind < 0.80:
        group, name = rng.choice(_GROUPS)
        return ["IGO" + group, name, "", group, "", "", "", "IGO", "", ""]
    if kind < 0.86:
        region, name = rng.choice(_REGIONS)
        return [region, name, region, "", "", "", "", "", "", ""]
    sector, name = rng.choice(_SECTORS)
    return [sector, name, "", "", "", "", "", sector, "", ""]


def _geo(rng: random.Random, version: int) -> list[str]:
    if rng.random() < 0.15:
        return ["0"] + [""] * (7 if version == 2 else 6)  # GDELT's "no geography"
    _, _, fips, place, lat, lon = rng.choices(_STATES, _STATE_WEIGHTS)[0]
    adm1 = f"{fips}{rng.randint(1, 40):02d}"
    cells = ["4", place, fips, adm1]
    if version == 2:
        cells.append(str(rng.randint(10000, 99999)))
    cells += [f"{lat + rng.uniform(-1, 1):.4f}", f"{lon + rng.uniform(-1, 1):.4f}",
              str(rng.randint(-3000000, 3000000))]  # fmt: skip
    return cells


def _bodies(count: int, version: int, seed: int) -> list[tuple[str, str]]:
    """``(actors and event columns, geography and URL columns)`` of ``count`` distinct rows."""
    rng = random.Random(seed)
    codes = [entry for entry in cameo_table().values() if entry.level >= 3]
    # Statements and consultations are common in GDELT, force rare.
    weights = [30 if e.root in ("01", "04") else 10 if e.root in ("02", "03", "05") else
               4 if e.quad in (2, 3) else 2 for e in codes]  # fmt: skip
    bodies = []
    for _ in range(count):
        entry = rng.choices(codes, weights)[0]
        articles = max(1, int(rng.paretovariate(1.3)))
        sources = max(1, min(articles, int(rng.paretovariate(2.0))))
        mentions = articles + rng.choice((0, 0, 0, 1, 2, 5))
        tone = rng.gauss(-1.5, 3.5)
        event = [
            rng.choice(("1", "1", "0")), entry.code, entry.code[:3], entry.root,
            str(entry.quad), str(entry.goldstein), str(mentions), str(sources), str(articles),
            repr(tone),
        ]  # fmt: skip
        head = "\t".join(_actor(rng) + _actor(rng) + event)
        slug = "-".join(rng.choice(("talks", "minister", "visit", "border", "deal", "energy",
                                    "sanctions", "summit", "trade", "gas")) for _ in range(4))
        url = f"https://{rng.choice(_SITES)}/{rng.randint(2013, 2024)}/{slug}"
        url += f"-{rng.randint(1, 99999)}"
        tail = "\t".join(_geo(rng, version) + _geo(rng, version) + _geo(rng, version))
        bodies.append((head, tail + "\t{added}\t" + url))
    return bodies


def gdelt_rows(rows: int, version: int = 1, seed: int = 7, first_id: int = 410_000_000):
    """The lines (without line ends) of a synthetic GDELT ``version`` export of ``rows`` rows."""
    if version not in (1, 2):
        raise ValueError("version must be 1 or 2")
    bodies = _bodies(min(rows, 20_000), version, seed)
    rng = random.Random(seed + 1)
    start = dt.date(2015, 2, 18)
    for n in range(rows):
        # A daily file covers events of the last days, most of the same day.
        day = start - dt.timedelta(days=rng.choice((0, 0, 0, 0, 1, 1, 2, 7, 30)))
        head, tail = bodies[rng.randrange(len(bodies))]
        sqldate = day.strftime("%Y%m%d")
        fraction = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
        added = "20150218"
        if version == 2:  # to the second, in 15-minute steps
            added += f"{(n // 5000) % 24:02d}{15 * (n % 4):02d}00"
        yield (f"{first_id + n}\t{sqldate}\t{sqldate[:6]}\t{sqldate[:4]}\t{fraction}\t{head}\t"
               + tail.replace("{added}", added))  # fmt: skip


def write_gdelt(path: str | Path, rows: int, version: int = 1, seed: int = 7) -> Path:
    """Write a synthetic GDELT ``version`` export of ``rows`` rows to ``path``."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        batch: list[str] = []
        for line in gdelt_rows(rows, version, seed):
            batch.append(line)
            if len(batch) == 10_000:
                f.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            f.write("\n".join(batch) + "\n")
    return path


if __name__ == "__main__":  # python benchmarks/gdelt_synth.py OUT ROWS [VERSION]
    import sys

    out, count = sys.argv[1], int(sys.argv[2])
    write_gdelt(out, count, int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    with open(out, newline="") as check:
        width = len(next(csv.reader(check, delimiter="\t")))
        print(out, 1 + sum(1 for _ in check), "rows;", width, "columns")
