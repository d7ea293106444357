"""Simulated vehicle, driving-licence and insurance records, and the parties they belong to.

Every party of a simulated submission gets records that agree with what the parties' app
reports: a Dongying plate (鲁E…, blue, or green for a new-energy car) with a registration and
a VIN whose check digit is right, a licence whose number is the holder's ID number (GB 11643
check digit included), and a compulsory policy (交强险, often with a commercial one) from PICC,
PAIC or CPIC. A defect shapes the records as the review must find them: an expired or
suspended licence, no compulsory policy valid on the accident date, an overdue inspection.

`RecordBook` answers the look-ups: unknown plates and licence numbers are None (404).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from console.domain.validation import (
    id_check_digit,
    normalise_plate,
    validate_id_number,
    validate_plate,
    vin_check_digit,
)


class RecordDefect(StrEnum):
    EXPIRED_LICENCE = "expired_licence"
    SUSPENDED_LICENCE = "suspended_licence"
    NO_INSURANCE = "no_insurance"
    INSPECTION_OVERDUE = "inspection_overdue"


@dataclass(frozen=True)
class Insurer:
    code: str
    name: str
    share: float
    compulsory_prefix: str
    commercial_prefix: str


INSURERS: Final = (
    Insurer("PICC", "中国人民财产保险股份有限公司东营市分公司", 0.42, "PDZA", "PDAA"),
    Insurer("PAIC", "中国平安财产保险股份有限公司东营中心支公司", 0.32, "PAJQ", "PASY"),
    Insurer("CPIC", "中国太平洋财产保险股份有限公司东营中心支公司", 0.26, "CPJQ", "CPSY"),
)
INSURER_NAMES: Final = {i.code: i.name for i in INSURERS}

# Region codes of Dongying's county-level units (ID numbers start with them).
_REGIONS: Final = (
    ("370502", "东营区", 0.62),
    ("370503", "河口区", 0.08),
    ("370505", "垦利区", 0.12),
    ("370522", "利津县", 0.08),
    ("370523", "广饶县", 0.10),
)
_SURNAMES: Final = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋"
)
_GIVEN: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞玉萍红鑫波宁浩凯亮建文斌晨婷倩雪琳峰宇"
)
_MOBILE_PREFIXES: Final = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181", "182",
    "183", "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip
_STREETS: Final = ("府前大街", "东三路", "西四路", "黄河路", "济南路", "南一路", "北一路", "淄博路")

# (brand and model, vehicle type, VIN world manufacturer code, new energy)
_MODELS: Final = (
    ("大众朗逸", "K33", "LSV", False), ("大众速腾", "K33", "LFV", False),
    ("丰田卡罗拉", "K33", "LFM", False), ("本田雅阁", "K33", "LHG", False),
    ("日产轩逸", "K33", "LGB", False), ("别克英朗", "K33", "LSG", False),
    ("吉利帝豪", "K33", "LB3", False), ("长安CS75", "K31", "LS5", False),
    ("哈弗H6", "K31", "LGW", False), ("比亚迪秦PLUS", "K33", "LGX", True),
    ("比亚迪宋PLUS", "K31", "LGX", True), ("特斯拉Model 3", "K33", "LRW", True),
    ("五菱宏光MINIEV", "K33", "LZW", True),
)  # fmt: skip
VEHICLE_TYPE_NAMES: Final = {"K33": "小型轿车", "K31": "小型普通客车"}
_SERIAL: Final = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_LETTERS: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_VIN_CHARS: Final = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_YEAR_CODES: Final = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 → A … 2030 → Y, then digits


def _weighted(rng: random.Random, items: list[tuple[Any, float]]) -> Any:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items], k=1)[0]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class DriverRecord:
    name: str
    licence_number: str
    licence_class: str
    valid_from: date
    valid_until: date
    status: str  # normal, expired, suspended, revoked, points_full, cancelled
    points: int
    # Printed on the card, not part of the record's answer.
    sex: str = "男"
    birth: date = date(1990, 1, 1)
    first_issue: date = date(2010, 1, 1)
    address: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "licence_number": self.licence_number,
            "licence_class": self.licence_class,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "status": self.status,
            "points": self.points,
        }


@dataclass(frozen=True)
class VehicleRecord:
    plate_type: str
    plate_no: str
    vin: str
    vehicle_type: str
    brand_model: str
    owner_name: str
    registration_valid_until: date | None
    inspection_valid_until: date | None
    status: tuple[str, ...]
    registered_on: date = date(2018, 1, 1)
    engine_no: str = ""
    address: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "plate_type": self.plate_type,
            "plate_no": self.plate_no,
            "vin": self.vin,
            "vehicle_type": self.vehicle_type,
            "brand_model": self.brand_model,
            "owner_name": self.owner_name,
            "registration_valid_until": _day(self.registration_valid_until),
            "inspection_valid_until": _day(self.inspection_valid_until),
            "status": list(self.status),
        }


@dataclass(frozen=True)
class PolicyRecord:
    insurer_code: str
    insurer_name: str
    policy_no: str
    kind: str  # compulsory or commercial
    valid_from: date
    valid_until: date

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until

    def to_json(self) -> dict[str, Any]:
        return {
            "insurer_code": self.insurer_code,
            "insurer_name": self.insurer_name,
            "policy_no": self.policy_no,
            "kind": self.kind,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
        }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class Party:
    """A party as the app reports them (`to_json`), with the records behind them."""

    letter: str
    name: str
    phone: str
    id_number: str | None
    licence_number: str
    licence_class: str
    plate_type: str
    plate_no: str
    vehicle_type: str
    insurer_code: str
    policy_no: str
    driver: DriverRecord
    vehicle: VehicleRecord
    policies: tuple[PolicyRecord, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "letter": self.letter,
            "name": self.name,
            "phone": self.phone,
            "id_number": self.id_number,
            "licence_number": self.licence_number,
            "licence_class": self.licence_class,
            "plate_type": self.plate_type,
            "plate_no": self.plate_no,
            "vehicle_type": self.vehicle_type,
            "insurer_code": self.insurer_code,
            "policy_no": self.policy_no,
        }

    def licence_fields(self) -> tuple[tuple[str, str], ...]:
        """What the licence card shows."""
        d = self.driver
        return (
            ("number", d.licence_number),
            ("name", d.name),
            ("sex", d.sex),
            ("nationality", "中国 CHN"),
            ("address", d.address),
            ("birth", d.birth.isoformat()),
            ("first_issue", d.first_issue.isoformat()),
            ("class", d.licence_class),
            ("valid", f"{d.valid_from.isoformat()} - {d.valid_until.isoformat()}"),
        )

    def registration_fields(self) -> tuple[tuple[str, str], ...]:
        """What the registration card (行驶证) shows."""
        v = self.vehicle
        return (
            ("plate", v.plate_no),
            ("vehicle_type", VEHICLE_TYPE_NAMES.get(v.vehicle_type, v.vehicle_type)),
            ("owner", v.owner_name),
            ("address", v.address),
            ("use", "非营运"),
            ("model", v.brand_model),
            ("vin", v.vin),
            ("engine", v.engine_no),
            ("register_date", v.registered_on.isoformat()),
            ("issue_date", v.registered_on.isoformat()),
        )


# ---------------------------------------------------------------- making parties up


def make_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def make_mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def make_id_number(rng: random.Random, occurred: date) -> tuple[str, date, str]:
    """An ID number of a Dongying resident aged 20–62; with the birth date and sex."""
    region = _weighted(rng, [(code, share) for code, _, share in _REGIONS])
    birth = occurred - timedelta(days=rng.randint(20 * 365, 62 * 365))
    sequence = rng.randrange(1000)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    sex = "男" if sequence % 2 else "女"
    return first17 + id_check_digit(first17), birth, sex


def make_plate(rng: random.Random, *, new_energy: bool) -> str:
    """A Dongying plate (鲁E): five serial characters, six for a small new-energy car."""
    while True:
        if new_energy:
            serial = (
                rng.choice("DF")
                + rng.choice(_SERIAL)
                + "".join(rng.choice("0123456789") for _ in range(4))
            )
        else:
            chars = [rng.choice("0123456789") for _ in range(5)]
            for index in rng.sample(range(5), rng.choice((0, 1, 1, 2))):
                chars[index] = rng.choice(_LETTERS)
            serial = "".join(chars)
        plate = "鲁E" + serial
        try:
            return validate_plate(plate).text
        except Exception:  # a combination GA 36 does not allow; draw again
            continue


def make_vin(rng: random.Random, wmi: str, year: int) -> str:
    vds = "".join(rng.choice(_VIN_CHARS) for _ in range(5))
    year_code = _YEAR_CODES[(year - 2010) % len(_YEAR_CODES)]
    tail = year_code + rng.choice(_VIN_CHARS) + f"{rng.randrange(10**6):06d}"
    draft = wmi + vds + "0" + tail
    return wmi + vds + vin_check_digit(draft) + tail


def make_party(
    rng: random.Random,
    letter: str,
    occurred: date,
    given: Mapping[str, Any] | None = None,
    defects: frozenset[RecordDefect] = frozenset(),
) -> Party:
    """A believable party for an accident on `occurred`, with the fields in `given` kept, and
    records shaped by `defects`."""
    given = dict(given or {})
    name = str(given.get("name") or make_name(rng))
    phone = str(given.get("phone") or make_mobile(rng))
    made_id, birth, sex = make_id_number(rng, occurred)
    id_number: str | None = made_id
    if "id_number" in given:
        id_number = None if given["id_number"] is None else str(given["id_number"])
        if id_number is not None:
            try:  # print the birth date the number holds
                validate_id_number(id_number, today=occurred)
                birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
            except Exception:  # a test may give an odd one on purpose; keep it as given
                pass
    licence_number = str(given.get("licence_number") or id_number or made_id).upper()
    licence_class = str(
        given.get("licence_class") or _weighted(rng, [("C1", 0.88), ("B2", 0.08), ("A1", 0.04)])
    )
    region_name = _weighted(rng, [(n, share) for _, n, share in _REGIONS])
    address = f"山东省东营市{region_name}{rng.choice(_STREETS)}{rng.randint(1, 480)}号"
    first_issue = _add_years(birth, rng.randint(18, 30))
    first_issue = min(first_issue, occurred - timedelta(days=rng.randint(200, 900)))
    # The first period is 6 years, each renewal 10; the current one holds the accident date.
    years_held = (occurred - first_issue).days // 365
    if years_held < 6:
        valid_from, valid_until = first_issue, _add_years(first_issue, 6)
    else:
        valid_from = _add_years(first_issue, 6 + 10 * ((years_held - 6) // 10))
        valid_until = _add_years(valid_from, 10)
    if valid_until <= occurred:
        valid_from, valid_until = valid_until, _add_years(valid_until, 10)
    status = "normal"
    if RecordDefect.EXPIRED_LICENCE in defects:
        valid_until = occurred - timedelta(days=rng.randint(10, 400))
        valid_from = _add_years(valid_until, -6)
        status = "expired"
    if RecordDefect.SUSPENDED_LICENCE in defects:
        status = "suspended"
    driver = DriverRecord(
        name=name,
        licence_number=licence_number,
        licence_class=licence_class,
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
        points=rng.choice((0, 0, 0, 1, 2, 3, 6)) if status != "suspended" else 12,
        sex=sex,
        birth=birth,
        first_issue=first_issue,
        address=address,
    )

    model, vehicle_type, wmi, electric = rng.choice(_MODELS)
    plate_type = str(given.get("plate_type") or ("52" if electric else "02"))
    plate_no = (
        normalise_plate(str(given["plate_no"]))
        if given.get("plate_no")
        else make_plate(rng, new_energy=plate_type == "52")
    )
    vehicle_type = str(given.get("vehicle_type") or vehicle_type)
    registered_on = occurred - timedelta(days=rng.randint(120, 11 * 365))
    inspection_until = occurred + timedelta(days=rng.randint(30, 700))
    vehicle_status: tuple[str, ...] = ("normal",)
    if RecordDefect.INSPECTION_OVERDUE in defects:
        inspection_until = occurred - timedelta(days=rng.randint(5, 200))
        vehicle_status = ("inspection_overdue",)
    owner = name if rng.random() < 0.85 else make_name(rng)
    vehicle = VehicleRecord(
        plate_type=plate_type,
        plate_no=plate_no,
        vin=make_vin(rng, wmi, registered_on.year),
        vehicle_type=vehicle_type,
        brand_model=model,
        owner_name=owner,
        registration_valid_until=inspection_until,
        inspection_valid_until=inspection_until,
        status=vehicle_status,
        registered_on=registered_on,
        engine_no="".join(rng.choice(_VIN_CHARS) for _ in range(8)),
        address=address,
    )

    insurer = next((i for i in INSURERS if i.code == given.get("insurer_code")), None) or _weighted(
        rng, [(i, i.share) for i in INSURERS]
    )
    insurer_code = str(given.get("insurer_code") or insurer.code)
    insurer_name = INSURER_NAMES.get(insurer_code, f"{insurer_code}财产保险公司")
    start = occurred - timedelta(days=rng.randint(5, 355))
    if RecordDefect.NO_INSURANCE in defects:
        start = _add_years(occurred - timedelta(days=rng.randint(5, 90)), -1) + timedelta(days=1)
    until = _add_years(start, 1) - timedelta(days=1)
    year = start.year
    compulsory_no = str(
        given.get("policy_no")
        or f"{insurer.compulsory_prefix}{year}3705{rng.randrange(10**12):012d}"
    )
    policies = [PolicyRecord(insurer_code, insurer_name, compulsory_no, "compulsory", start, until)]
    if RecordDefect.NO_INSURANCE not in defects and rng.random() < 0.8:
        policies.append(
            PolicyRecord(
                insurer_code,
                insurer_name,
                f"{insurer.commercial_prefix}{year}3705{rng.randrange(10**12):012d}",
                "commercial",
                start,
                until,
            )
        )
    return Party(
        letter=letter,
        name=name,
        phone=phone,
        id_number=id_number,
        licence_number=licence_number,
        licence_class=licence_class,
        plate_type=plate_type,
        plate_no=plate_no,
        vehicle_type=vehicle_type,
        insurer_code=insurer_code,
        policy_no=compulsory_no,
        driver=driver,
        vehicle=vehicle,
        policies=tuple(policies),
    )


# ---------------------------------------------------------------- the record book


class RecordBook:
    """The records the look-up endpoints answer from; the newest record of a plate or a
    licence number wins. Safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._drivers: dict[str, DriverRecord] = {}
        self._vehicles: dict[tuple[str, str], VehicleRecord] = {}
        self._policies: dict[tuple[str, str], tuple[PolicyRecord, ...]] = {}

    def add(self, party: Party) -> None:
        key = (party.vehicle.plate_type, party.vehicle.plate_no)
        with self._lock:
            self._drivers[party.driver.licence_number.upper()] = party.driver
            self._vehicles[key] = party.vehicle
            self._policies[key] = party.policies

    def driver(self, licence_number: str) -> DriverRecord | None:
        with self._lock:
            return self._drivers.get(licence_number.strip().upper())

    def vehicle(self, plate_type: str, plate_no: str) -> VehicleRecord | None:
        with self._lock:
            return self._vehicles.get((plate_type, normalise_plate(plate_no)))

    def policies(self, plate_type: str, plate_no: str, on: date) -> list[PolicyRecord] | None:
        """Policies on the vehicle valid on `on`, compulsory first; None: no such vehicle."""
        key = (plate_type, normalise_plate(plate_no))
        with self._lock:
            if key not in self._vehicles:
                return None
            found = [p for p in self._policies.get(key, ()) if p.valid_on(on)]
        return sorted(found, key=lambda p: p.kind != "compulsory")

    def update_driver(self, licence_number: str, **changes: Any) -> None:
        """Change a driver's record (a test renews a licence, say)."""
        with self._lock:
            key = licence_number.strip().upper()
            self._drivers[key] = replace(self._drivers[key], **changes)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {"drivers": len(self._drivers), "vehicles": len(self._vehicles)}
