"""Cross-check measures.spc against abspc, an independent Python MDC implementation on PyPI.

Runs both over generated monthly series (noise, sudden shifts, slow drifts, whole numbers so
that ties and points on the mean occur) and prints, per quantity, how many points agree and
the first few differences.

Both are run with the same rules: one phase, no baseline, no moving-range screening (abspc does
not screen), a shift of 8 and a trend of 6 (abspc's fixed run lengths). The differences that
remain are expected:

* Limits: abspc multiplies the mean moving range by 3 / 1.128 = 2.6596; MDC and NHSRplotthedots
  use the rounded 2.66, so our limits are about 0.015% wider. A point within that sliver of a
  limit (or of a 2σ line) is flagged by abspc and not by us. Limits are compared to 0.1%.
* Variation icon: abspc describes the most recent special-cause point anywhere in the series;
  MDC (and we) describe the latest point, so a series whose latest point is common cause is
  "common cause" for us and keeps an earlier signal for abspc.
* Assurance: abspc counts a target exactly on a limit as pass or fail; we follow
  NHSRplotthedots, for which that is hit and miss. Generated targets rarely land on a limit.
"""

import datetime
import random
import sys
from collections import Counter
from pathlib import Path

import abspc
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measures.spc import Flag, Settings, analyse  # noqa: E402

SETTINGS = Settings(shift_length=8, trend_length=6, min_reliable_points=2, screen_outliers=False)
RULES = {
    "rule1": Flag.BEYOND_LIMIT,
    "rule2": Flag.SHIFT,
    "rule3": Flag.TREND,
    "rule4": Flag.TWO_OF_THREE,
}
ASSURANCE = {"consistent_pass": "pass", "consistent_fail": "fail", "hit_and_miss": "hit_or_miss"}


def series(rng: random.Random, n: int) -> list[float]:
    kind = rng.choice(["noise", "shift", "drift", "spike", "integers"])
    values = []
    for i in range(n):
        value = 50 + rng.gauss(0, 5)
        if kind == "shift" and i > n // 2:
            value += 8
        elif kind == "drift":
            value += 0.4 * i
        elif kind == "spike" and i % 17 == 9:
            value += 25
        values.append(round(value) if kind == "integers" else round(value, 2))
    return values


def main() -> None:
    rng = random.Random(20240601)
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    differences: list[str] = []
    for number in range(300):
        values = series(rng, rng.randint(15, 60))
        target = round(50 + rng.gauss(0, 8), 1)
        direction = rng.choice(["increase", "decrease"])
        points = [(datetime.date(2000 + i // 12, i % 12 + 1, 1), v) for i, v in enumerate(values)]
        ours = analyse(points, direction=direction, target=target, settings=SETTINGS)

        theirs = abspc.detect_special_causes(
            abspc.calculate_control_limits(pd.DataFrame({"value": values}), "XmR")
        )
        high = "high" if direction == "increase" else "low"
        for i, point in enumerate(ours.points):
            row = theirs.iloc[i]
            for column, ours_name in (("ucl", point.upper), ("lcl", point.lower)):
                total["limits"] += 1
                scale = max(abs(row[column]), 1e-9)
                if abs(ours_name - row[column]) / scale < 1e-3:
                    agree["limits"] += 1
                else:
                    differences.append(
                        f"series {number} point {i}: {column} {ours_name} vs {row[column]}"
                    )
            for column, flag in RULES.items():
                total[flag] += 1
                if bool(row[column]) == (flag in point.flags):
                    agree[flag] += 1
                else:
                    differences.append(
                        f"series {number} point {i}: {flag} ours={flag in point.flags} "
                        f"abspc={bool(row[column])} value={point.value} mean={point.mean:.3f} "
                        f"limits=({point.lower:.3f}, {point.upper:.3f})"
                    )
        total["variation icon"] += 1
        their_icon = abspc.determine_variation_type(theirs, improvement_direction=high)
        if their_icon == ours.variation_icon:
            agree["variation icon"] += 1
        else:
            latest = "common cause" if not ours.points[-1].flags else "special cause"
            differences.append(
                f"series {number}: variation ours={ours.variation_icon} abspc={their_icon} "
                f"(our latest point is {latest})"
            )
        total["assurance icon"] += 1
        their_assurance = abspc.determine_assurance_type(theirs, target, improvement_direction=high)
        if ASSURANCE[ours.assurance_icon] == their_assurance:
            agree["assurance icon"] += 1
        else:
            differences.append(
                f"series {number}: assurance ours={ours.assurance_icon} abspc={their_assurance}"
            )

    print(f"abspc {abspc.__version__}: 300 generated series")
    for name in total:
        share = 100 * agree[name] / total[name]
        print(f"  {name:15} {agree[name]:6}/{total[name]:<6} agree ({share:.2f}%)")
    unexplained = [line for line in differences if "latest point is common cause" not in line]
    print(
        f"{len(differences)} differences, {len(differences) - len(unexplained)} of them a "
        "variation icon where our latest point is common cause; the others:"
    )
    for line in unexplained[:25]:
        print("  " + line)


if __name__ == "__main__":
    main()
