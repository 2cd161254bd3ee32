"""Reference data of resources: the topics vocabulary."""

from pathlib import Path

from core.reference import Loader, read_toml
from resources.models import Topic

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.toml"


def load(loader: Loader) -> None:
    for row in read_toml(TOPICS_FILE)["topics"]:
        loader.get_or_create(Topic, row["slug"], row["name"])
