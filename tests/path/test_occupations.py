"""The `occupation` group (issue 27): a person's job title where the text says whose it is, withheld under `pii`; a
thing's role, a film's title and a log's role field stay."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.occupations import is_a_job

GROUPS = GroupSet()


def occupations(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, ["occupation"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I used to work for Banknorth Group, Inc. as Personnel consultant, but quit a few months ago.",
            ["Personnel consultant"],
        ),
        ('Chizue Senda, the Foot specialist, said: "I\'m glad"', ["Foot specialist"]),
        ("Laura Walker\nAdministrative specialist\nAppFolio Inc.", ["Administrative specialist"]),
        ("Eriskhan Batukayev\n\nEmployment clerk\n\nPersonal Info:", ["Employment clerk"]),
        ("She works as a midwife at Rush.", ["midwife"]),
        ("Occupation: retired teacher\nDOB: 1950", ["retired teacher"]),
        ("Name: Ana Ruiz\nJob title: Senior Engineer", ["Senior Engineer"]),
        ("I've worked as a paralegal since 2019.", ["paralegal"]),
        ("Kind regards,\nRavi Menon\nProcurement Officer\nInfosys Ltd", ["Procurement Officer"]),
        ("Best,\nJohn Smith\nChief Financial Officer\nGlobex Corporation", ["Chief Financial Officer"]),
        ("Daniel Ortega | Account Executive | Brightline Media", ["Account Executive"]),
        ('"We are watching," said Dr. Helen Okoro, the lead cardiologist, on Monday.', ["lead cardiologist"]),
        (
            "I'm a staff nurse at Royal Derby Hospital. My wife is a paediatric nurse.",
            ["staff nurse", "paediatric nurse"],
        ),
        ("My daughter started as a junior copywriter in March.", ["junior copywriter"]),
    ],
)
def test_a_persons_job_title_is_withheld(text: str, expected: list[str]) -> None:
    assert occupations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The tool works as a filter for spam.",
        "Role: admin\nPosition: left",
        "Title: The Beekeeper",
        "Paris, the capital, said nothing.",
        "It worked as a charm, said the reviewer.",
        "Thanks,\nJane Smith\nCustomer Service Team",
        "we worked as a team on the number",
        "I use HAProxy, which works as a load balancer. In my setup the Raspberry Pi works as a media server.",
        "I started as a complete beginner and served as a member of the board.",
        "Morgan Stanley, the lead underwriter, said the deal closed.",
        "Hong Kong\nRegional Director\nSalary: competitive",
        "Job title: Warehouse Operative\nLocation: Leeds\nSalary: £24,000",
        "Name: Ana Ruiz\nProfession: Not applicable",
        "role: worker\nPosition: Goalkeeper\nRole: Healer",
        "I'm a big fan of this; she is a real character.",
        "My phone works as a remote controller.",
    ],
)
def test_roles_of_things_and_titles_of_works_stay(text: str) -> None:
    assert occupations(text) == []


def test_a_job_ends_in_a_jobs_word() -> None:
    assert is_a_job("Metal caster") and is_a_job("Railroad conductor") and is_a_job("nurse")
    assert not is_a_job("paper filter") and not is_a_job("a") and not is_a_job("one two three four five six seven")


def test_occupation_is_personal_data() -> None:
    assert "occupation" in PII_GROUPS
