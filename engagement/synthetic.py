"""Fictional police records in the import's format, for trying the report and measuring it.

Every record is invented. The proportions follow the research's descriptive figures
roughly (mostly male victims, criminal exploitation the most common, support offered in
about one case in six, engagement unknown in two cases in three), and a few associations
are built in (the police refer more often to support; support is offered more often from
2021) so a report of them has something to find. Deterministic for a given seed.
"""

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TextIO

from engagement.records import COLUMN_NAMES


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def police_records(
    count: int,
    *,
    forces: list[str],
    seed: int = 2021,
    first_day: date = date(2018, 1, 1),
    last_day: date = date(2024, 12, 31),
    prefix: str = "SYN",
) -> Iterator[dict[str, str]]:
    """``count`` fictional records, spread over ``forces`` and the days given."""
    rng = random.Random(seed)
    days = (last_day - first_day).days
    for number in range(count):
        recorded_on = first_day + timedelta(days=rng.randint(0, days))
        sex = _pick(rng, {"male": 72, "female": 26, "other": 0.5, "not_stated": 1.5})
        age = _pick(
            rng,
            {
                "under_18": 40,
                "18_24": 15,
                "25_34": 18,
                "35_44": 12,
                "45_54": 8,
                "55_64": 3,
                "65_plus": 1,
                "": 3,
            },
        )
        types = [
            _pick(
                rng,
                {"criminal": 59, "labour": 20, "sexual": 13, "domestic_servitude": 4, "other": 4},
            )
        ]
        if rng.random() < 0.1:
            types.append(_pick(rng, {"criminal": 30, "labour": 30, "sexual": 30, "other": 10}))
        criminal = "criminal" in types
        police = rng.random() < 0.43
        offender = rng.random() < 0.23
        offer_chance = 0.10 * (1.8 if police else 1) * (1.7 if recorded_on.year >= 2021 else 1)
        offer_chance *= (0.6 if "labour" in types else 1) * (1.8 if offender else 1)
        offered = rng.random() < min(offer_chance, 0.9)
        accept_chance = 0.28 * (1.3 if sex == "female" else 1) * (0.7 if criminal else 1.2)
        engagement = _pick(rng, {"unknown": 67, "known": 33})
        if engagement == "known":
            positive_chance = 0.38 * (1.8 if "domestic_servitude" in types else 1)
            positive_chance *= 0.8 if age == "under_18" else 1.1
            engagement = "positive" if rng.random() < min(positive_chance, 0.95) else "negative"
        yield {
            "force": forces[number % len(forces)],
            "crime_reference": f"{prefix}/{recorded_on:%y}/{number:07d}",
            "recorded_on": recorded_on.isoformat(),
            "victim_sex": sex,
            "victim_age_band": age,
            "victim_nationality": "uk" if rng.random() < (0.7 if criminal else 0.2) else "non_uk",
            "referral_route": _pick(rng, {"nrm": 84, "ms1": 12, "none": 4}),
            "referring_agency": "police" if police else "external",
            "exploitation_types": ";".join(types),
            "exploitation_location": _pick(
                rng,
                {"uk_only": 80, "overseas_only": 8, "both": 12}
                if criminal
                else {"uk_only": 35, "overseas_only": 35, "both": 30},
            ),
            "county_lines": "yes" if criminal and rng.random() < 0.45 else "no",
            "offender_identified": "yes" if offender else "no",
            "support_offered": "yes" if offered else "no",
            "support_accepted": ("yes" if rng.random() < accept_chance else "no")
            if offered
            else "",
            "engagement": engagement,
        }


def write_csv(stream: TextIO, records: Iterator[dict[str, str]]) -> int:
    writer = csv.DictWriter(stream, fieldnames=COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    written = 0
    for record in records:
        writer.writerow(record)
        written += 1
    return written
