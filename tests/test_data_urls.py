"""Reference and demo data carry only web addresses the domain brief or its sources give.

An address that appears nowhere in them was made up, however plausible it looks: the item
then has no link, and its page tells readers whom to ask for a copy.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT.parent / "shared" / "domain"
DATA_FILES = sorted(ROOT.glob("*/data/*.toml")) + [ROOT / "casestudies" / "demo.py"]
URL = re.compile(r"https?://[^\s\"'<>()\[\]]+")

# Home pages of the organisations in the brief's network table, which names each site by its
# host only ("healthinnovationwessex.org.uk"), so the data adds the scheme. Sites the brief
# tags [M] (from memory) are kept unverified in the data.
HOME_PAGES = {
    "https://healthinnovationnenc.org.uk",
    "https://ahsn-nenc.org.uk",  # [M]
    "https://healthinnovationnwc.nhs.uk",
    "https://innovationagencynwc.nhs.uk",
    "https://healthinnovationmanchester.com",
    "https://healthinnovationyh.org.uk",
    "https://yhahsn.org.uk",
    "https://emahsn.org.uk",
    "https://healthinnovationwestmidlands.org",
    "https://wmahsn.org",
    "https://healthinnovationeast.co.uk",
    "https://eahsn.org",
    "https://easternahsn.org",
    "https://uclpartners.com",
    "https://imperialcollegehealthpartners.com",  # [M]
    "https://healthinnovationnetwork.com",
    "https://healthinnovation-kss.com",
    "https://kssahsn.net",  # [M]
    "https://healthinnovationoxford.org",
    "https://oxfordahsn.org",
    "https://patientsafetyoxford.org",  # the Oxford PSC's own site
    "https://healthinnovationwessex.org.uk",
    "https://wessexahsn.org.uk",  # also on the Wessex leaflet
    "https://healthinnowest.net",
    "https://weahsn.net",
    "https://swahsn.com",
}


def domain_text() -> str:
    files = [DOMAIN / "README.md", *sorted((DOMAIN / "sources").iterdir())]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def data_urls() -> list[tuple[str, str]]:
    return [
        (path.relative_to(ROOT).as_posix(), url.rstrip(".,;"))
        for path in DATA_FILES
        for url in URL.findall(path.read_text(encoding="utf-8"))
    ]


def is_sourced(url: str, text: str) -> bool:
    return url in text or url.removesuffix("/") in HOME_PAGES


@pytest.fixture(scope="module")
def text():
    if not (DOMAIN / "README.md").exists():
        pytest.skip(f"the domain brief is not at {DOMAIN}")
    return domain_text()


def test_the_data_files_carry_web_addresses_to_check():
    assert {path for path, _ in data_urls()} >= {
        "collaboratives/data/organisations.toml",
        "resources/data/demo_resources.toml",
    }


def test_every_address_in_the_data_is_given_by_the_brief_or_its_sources(text):
    unsourced = [(path, url) for path, url in data_urls() if not is_sourced(url, text)]

    assert not unsourced, unsourced


def test_a_made_up_deep_link_on_a_known_site_is_caught(text):
    assert is_sourced("http://wessexahsn.org.uk/projects/505/case-studies", text)
    assert is_sourced("https://patientsafetyoxford.org/", text)
    assert not is_sourced("https://www.healthinnovationwessex.org.uk/resources/report", text)
    assert not is_sourced("https://healthinnovationwessex.org.uk/resources", text)


def test_every_allowed_home_page_is_named_in_the_brief(text):
    for home_page in HOME_PAGES:
        assert home_page.removeprefix("https://") in text, home_page
