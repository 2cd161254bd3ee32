"""Write a synthetic ONS Postcode Directory CSV of about 2.7 million rows (the size of a real
UK release), streaming, in the layout of tests/data/onspd/ONSPD_MAY_2026_UK.csv.

    .venv/bin/python bench/generate_onspd.py /tmp/ONSPD_MAY_2026_UK.csv [--rows 2700000]
    .venv/bin/python bench/generate_onspd.py /tmp/ONSPD_MAY_2026_UK.zip   # Data/ + Documents/

Postcodes are well-formed but made up. ICB codes are the real ones of the domain brief;
postcode areas are given a board each, and one district in eight is split between two boards.
Scottish, Welsh and Northern Irish areas carry their country and pseudo board codes; about 3%
of the rows are retired postcodes.
"""

import argparse
import io
import random
import sys
import time
import zipfile
from pathlib import Path

HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,"
    "osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,"
    "npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua24,ru11ind,oac11,lat,"
    "long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21,ruc21ind"
)
ENGLISH_BOARDS = [
    "E54000050", "E54000008", "E54000048", "E54000007", "E54000051", "E54000054", "E54000061",
    "E54000012", "E54000013", "E54000060", "E54000020", "E54000011", "E54000016", "E54000017",
    "E54000018", "E54000019", "E54000022", "E54000024", "E54000026", "E54000027", "E54000028",
    "E54000029", "E54000030", "E54000031", "E54000032", "E54000053", "E54000052", "E54000034",
    "E54000042", "E54000041", "E54000044", "E54000040", "E54000039", "E54000043", "E54000036",
    "E54000037", "E54000038",
]  # fmt: skip
OTHER_COUNTRIES = {
    **dict.fromkeys(["CF", "LL", "SA", "LD", "NP"], ("W92000004", "W99999999")),
    **dict.fromkeys(
        ["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"],
        ("S92000003", "S99999999"),
    ),
    "BT": ("N92000002", "N99999999"),
}
ENGLISH_AREAS = [
    "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "CA", "CB", "CH", "CM", "CO", "CR",
    "CT", "CV", "CW", "DA", "DE", "DH", "DL", "DN", "DT", "DY", "E", "EC", "EN", "EX", "FY", "GL",
    "GU", "HA", "HD", "HG", "HP", "HR", "HU", "HX", "IG", "IP", "KT", "L", "LA", "LE", "LN", "LS",
    "LU", "M", "ME", "MK", "N", "NE", "NG", "NN", "NR", "NW", "OL", "OX", "PE", "PL", "PO", "PR",
    "RG", "RH", "RM", "S", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW",
    "SY", "TA", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR",
    "WS", "WV", "YO",
]  # fmt: skip
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UNITS = [a + b for a in UNIT_LETTERS for b in UNIT_LETTERS]
# Geography columns after ctry that the importer ignores: one realistic-looking block.
MIDDLE = "E06000045,E05002470,E04000001,0,441536,112145,1,E18000010,E40000005"  # oslaua..nhser
AFTER_COUNTRY = (
    "E12000008,0,E14001510,E15000008,E24000021,E30000266,E16000097,E06000045,99ZZ00,E00086759,"
    "99ZZ00,E99999999,E01017190,E02003567,A,3B3,E00086759,E01017190,E02003567,E33032418,"
    "E38000045,E63012345,A1,5B1"
)
TAIL = "E37000032,,E23000030,12345,E56000028"


def districts(rng: random.Random, rows: int):
    """(outward, [(sector digit, board or None, country, units)]) until ``rows`` are planned."""
    areas = ENGLISH_AREAS + list(OTHER_COUNTRIES)
    per_district = 10 * 100  # ten sectors of a hundred postcodes
    count = rows // per_district + 1
    planned = 0
    number = 0
    while planned < count:
        for area in areas:
            if planned >= count:
                return
            outward = f"{area}{number + 1}"
            country, pseudo = OTHER_COUNTRIES.get(area, ("E92000001", None))
            board = pseudo or ENGLISH_BOARDS[sum(map(ord, area)) % len(ENGLISH_BOARDS)]
            second = ENGLISH_BOARDS[(sum(map(ord, area)) + 1) % len(ENGLISH_BOARDS)]
            split = pseudo is None and rng.random() < 0.125
            yield outward, country, board, second if split else board
            planned += 1
        number += 1


def write_rows(out, rows: int, seed: int = 2026) -> int:
    rng = random.Random(seed)
    out.write(HEADER + "\r\n")
    written = 0
    for outward, country, board, other in districts(rng, rows):
        pad7 = f"{outward:<4}"[:4] if len(outward) < 4 else outward
        pad8 = f"{outward:<4} " if len(outward) < 5 else f"{outward} "
        for sector in range(10):
            icb = other if sector >= 7 else board
            for unit in UNITS[:100]:
                if written >= rows:
                    return written
                inward = f"{sector}{unit}"
                retired = rng.random() < 0.03
                doterm = f"{rng.randint(1995, 2025)}{rng.randint(1, 12):02d}" if retired else ""
                out.write(
                    f"{pad7}{inward},{pad8}{inward},{outward} {inward},199001,{doterm},"
                    f"E99999999,E99999999,{MIDDLE},{country},{AFTER_COUNTRY},"
                    f"{50 + rng.random() * 5:.6f},{-3 + rng.random() * 3:.6f},{TAIL},{icb},"
                    "E00086759,E01017190,E02003567,UN1\r\n"
                )
                written += 1
    return written


def icb_names() -> str:
    lines = ["ICB23CD,ICB23CDH,ICB23NM"]
    lines += [f"{code},,NHS Board {code} Integrated Care Board" for code in ENGLISH_BOARDS]
    return "\r\n".join(lines) + "\r\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="…/ONSPD_MAY_2026_UK.csv or .zip")
    parser.add_argument("--rows", type=int, default=2_700_000)
    args = parser.parse_args()
    started = time.monotonic()
    if args.path.suffix == ".zip":
        with zipfile.ZipFile(args.path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            member = archive.open(f"Data/{args.path.stem}.csv", "w", force_zip64=True)
            with member, io.TextIOWrapper(member, encoding="utf-8", newline="") as text:
                written = write_rows(text, args.rows)
            archive.writestr("Documents/ICB names and codes UK as at 04_23.csv", icb_names())
    else:
        with args.path.open("w", encoding="utf-8", newline="", buffering=1 << 20) as text:
            written = write_rows(text, args.rows)
    size = args.path.stat().st_size / 1e6
    print(
        f"Wrote {written:,} rows to {args.path} ({size:,.0f} MB) "
        f"in {time.monotonic() - started:.0f} s",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
