"""Print how long measures.spc.analyse() takes on a 200-point monthly series (best of 5 runs)."""

import datetime
import random
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measures.spc import analyse  # noqa: E402


def main() -> None:
    rng = random.Random(2021)
    points = [
        (datetime.date(2000 + i // 12, i % 12 + 1, 1), 50 + rng.gauss(0, 5) + (8 if i > 120 else 0))
        for i in range(200)
    ]

    def run():
        analyse(
            points,
            direction="increase",
            target=55,
            rebase_dates=[datetime.date(2010, 1, 1)],
            baseline=20,
        )

    number = 200
    best = min(timeit.repeat(run, number=number, repeat=5)) / number
    print(f"analyse() on 200 points: {best * 1000:.3f} ms per series (best of 5 x {number} runs)")


if __name__ == "__main__":
    main()
