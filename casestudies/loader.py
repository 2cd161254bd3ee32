"""Reference data of casestudies: the themes vocabulary."""

from pathlib import Path

from casestudies.models import Theme
from core.reference import Loader, read_toml

THEMES_FILE = Path(__file__).resolve().parent / "data" / "themes.toml"


def load(loader: Loader) -> None:
    for row in read_toml(THEMES_FILE)["themes"]:
        loader.get_or_create(Theme, row["slug"], row["name"])
